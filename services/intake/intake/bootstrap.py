"""Composition root of intake: the routers, event handlers and jobs of this service."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from intake.config import SERVICE, get_settings
from intake.entrypoints.api import applications, enterprises, evaluations, policy
from intake.entrypoints.handlers import build_registry
from shared.calendar.clock import Clock
from shared.settings import ServiceSettings
from shared.web.app import ServiceSpec, create_service_app

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"

SPEC = ServiceSpec(
    name=SERVICE,
    title="Intake · 信息填报",
    description="Enterprise profiles, the information form, self-evaluation and applications.",
    routers=[
        policy.router,
        evaluations.router,
        enterprises.router,
        applications.router,
    ],
    migrations_dir=MIGRATIONS,
    handlers=lambda runtime: build_registry(),
)


def create_app(
    settings: ServiceSettings | None = None,
    *,
    run_background: bool = True,
    clock: Clock | None = None,
) -> FastAPI:
    return create_service_app(
        SPEC, settings or get_settings(), run_background=run_background, clock=clock
    )
