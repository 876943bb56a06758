"""Composition root of supervision: the routers, event handlers and jobs of this service."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from shared.kernel.calendar.clock import Clock
from shared.platform.runtime import PeriodicJob, ServiceRuntime
from shared.platform.settings import ServiceSettings
from shared.platform.web.app import ServiceSpec, create_service_app
from supervision.config import MAX_BODY_BYTES, SERVICE, SupervisionSettings, get_settings
from supervision.entrypoints.api import cases, channels, credit, revocations
from supervision.entrypoints.handlers import build_registry
from supervision.service_layer.rate_limit import purge_old_windows

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _jobs(runtime: ServiceRuntime) -> list[PeriodicJob]:
    return [PeriodicJob("filing-rate-purge", 600.0, purge_old_windows)]


SPEC = ServiceSpec(
    name=SERVICE,
    title="Supervision · 监督管理",
    description=(
        "Objections, complaints and reports; the credit archive; joint punishment; "
        "revocation of registration numbers."
    ),
    routers=[
        cases.router,
        credit.router,
        revocations.router,
        revocations.proposals_router,
        channels.public_router,
        channels.router,
    ],
    migrations_dir=MIGRATIONS,
    settings_class=SupervisionSettings,
    handlers=build_registry,
    jobs=_jobs,
    max_body_bytes=MAX_BODY_BYTES,
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
