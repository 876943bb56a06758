"""Composition root of tracking: the routers, event handlers and jobs of this service."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from shared.kernel.calendar.clock import Clock
from shared.platform.runtime import PeriodicJob, ServiceRuntime
from shared.platform.settings import ServiceSettings
from shared.platform.web.app import ServiceSpec, create_service_app
from tracking.config import SERVICE, TrackingSettings, get_settings, tracking_settings
from tracking.entrypoints.api import obligations, reports, tracking
from tracking.entrypoints.handlers import build_registry
from tracking.service_layer.overdue import run_overdue_detection

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def build_jobs(runtime: ServiceRuntime) -> list[PeriodicJob]:
    interval = tracking_settings(runtime.settings).overdue_detection_interval
    return [PeriodicJob("overdue-detection", interval, run_overdue_detection)]


SPEC = ServiceSpec(
    name=SERVICE,
    title="Tracking · 季度跟踪",
    description="Quarterly obligations and reports, overdue detection, statistics and tiers.",
    routers=[obligations.router, reports.router, tracking.router],
    migrations_dir=MIGRATIONS,
    settings_class=TrackingSettings,
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
