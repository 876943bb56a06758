"""Composition root of supervision: the routers, event handlers and jobs of this service."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from shared.calendar.clock import Clock
from shared.settings import ServiceSettings
from shared.web.app import ServiceSpec, create_service_app
from supervision.config import SERVICE, get_settings
from supervision.entrypoints.handlers import build_registry

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"

SPEC = ServiceSpec(
    name=SERVICE,
    title="Supervision · 监督管理",
    description="Objections, complaints, reports, the credit archive and revocations.",
    routers=[],
    migrations_dir=MIGRATIONS,
    handlers=build_registry,
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
