"""Composition root of supervision: the routers, event handlers and jobs of this service."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI

from shared.calendar.clock import Clock, SystemClock, today_in_china
from shared.runtime import PeriodicJob, ServiceRuntime
from shared.settings import ServiceSettings
from shared.web.app import ServiceSpec, create_service_app
from supervision.config import MAX_BODY_BYTES, SERVICE, get_settings, supervision_settings
from supervision.entrypoints.api import cases, credit, revocations
from supervision.entrypoints.handlers import build_registry
from supervision.service_layer.rate_limit import purge_old_windows

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def _jobs(runtime: ServiceRuntime) -> list[PeriodicJob]:
    return [PeriodicJob("filing-rate-purge", 600.0, purge_old_windows)]


SPEC = ServiceSpec(
    name=SERVICE,
    title="Supervision · 监督管理",
    description=(
        "Objections, complaints and reports; the credit archive; joint punishment; "
        "revocation of registration numbers."
    ),
    routers=[cases.router, credit.router, revocations.router, revocations.proposals_router],
    migrations_dir=MIGRATIONS,
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
    settings = settings or get_settings()
    offset = supervision_settings(settings).clock_offset_days
    if clock is None and offset:
        clock = ShiftedClock(SystemClock(), timedelta(days=offset))
    return create_service_app(SPEC, settings, run_background=run_background, clock=clock)


class ShiftedClock:
    """The system clock moved by a fixed offset (test stacks only, see the settings)."""

    def __init__(self, base: Clock, offset: timedelta) -> None:
        self._base = base
        self._offset = offset

    def now(self) -> datetime:
        return self._base.now() + self._offset

    def today(self) -> date:
        return today_in_china(self.now())
