"""Composition root of intake: the routers, event handlers and jobs of this service."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from intake.config import SERVICE, get_settings, intake_settings
from intake.entrypoints.api import applications, enterprises, evaluations, policy
from intake.entrypoints.handlers import build_registry
from intake.service_layer.year_close import run_close_drafts
from shared.calendar.clock import Clock
from shared.evaluation.engine import scorer_for
from shared.policy.loader import shipped_policies
from shared.runtime import PeriodicJob, ServiceRuntime
from shared.settings import ServiceSettings
from shared.web.app import ServiceSpec, create_service_app

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def validate_policies(runtime: ServiceRuntime) -> None:
    """Read and validate every shipped yearly policy file before serving: a broken file
    stops the service at start-up with `PolicyFileError` (file and field path), instead of
    failing the first form that touches the broken threshold. Also warms the scorer of
    each effective policy, so the first preview of a year pays no compilation."""
    shipped_policies()
    for year in runtime.policies.years():
        scorer_for(runtime.policies.cached(year))


def build_jobs(runtime: ServiceRuntime) -> list[PeriodicJob]:
    interval = intake_settings(runtime.settings).year_close_interval
    return [PeriodicJob("year-close-drafts", interval, run_close_drafts)]


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
    on_startup=[validate_policies],
    jobs=build_jobs,
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
