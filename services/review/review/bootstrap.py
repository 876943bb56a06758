"""Composition root of review: the routers, event handlers and jobs of this service."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from review.config import SERVICE, ReviewSettings, get_settings, review_settings
from review.entrypoints.api import (
    cases,
    notices,
    publicity,
    registrations,
    spot_checks,
    year_close,
)
from review.entrypoints.handlers import build_registry
from review.service_layer.year_close import run_year_close
from shared.kernel.calendar.clock import Clock
from shared.platform.runtime import PeriodicJob, ServiceRuntime
from shared.platform.settings import ServiceSettings
from shared.platform.web.app import ServiceSpec, create_service_app

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def build_jobs(runtime: ServiceRuntime) -> list[PeriodicJob]:
    interval = review_settings(runtime.settings).year_close_interval
    return [PeriodicJob("year-close", interval, run_year_close)]


SPEC = ServiceSpec(
    name=SERVICE,
    title="Review · 形式审查与入库登记",
    description=(
        "Review cases, warnings, decisions, publicity, announcement, registry, spot checks."
    ),
    routers=[
        cases.router,
        publicity.router,
        registrations.router,
        notices.router,
        spot_checks.router,
        year_close.router,
    ],
    migrations_dir=MIGRATIONS,
    settings_class=ReviewSettings,
    handlers=build_registry,
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
