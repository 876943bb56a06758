"""A service split into `api` and `worker` processes (PROCESS_ROLE) on one database: the API
process answers requests and runs no background work; the worker publishes what the API
committed, consumes, and runs the jobs, and serves no business route."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter, Request
from sqlalchemy import select

from localdev.stack import Infra
from localdev.testing import running_app, test_settings
from shared.kernel.events.envelope import CloudEvent
from shared.platform.db.audit import Actor
from shared.platform.db.engine import Database
from shared.platform.db.metadata import outbox
from shared.platform.messaging.handler_registry import HandlerRegistry
from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.runtime import PeriodicJob, ServiceRuntime
from shared.platform.settings import ServiceSettings
from shared.platform.web.app import ServiceSpec, create_service_app

from .conftest import OrderProbe

pytestmark = pytest.mark.integration

router = APIRouter()


@router.post("/probe")
async def write_probe(request: Request) -> dict[str, str]:
    runtime: ServiceRuntime = request.app.state.runtime
    async with runtime.uow(Actor.system("probe")) as work:
        event_id = await work.outbox.add(OrderProbe(uscc="ROLES0000000000001", seq=1))
    return {"event_id": event_id}


async def _ignore(uow: UnitOfWork, payload: OrderProbe, envelope: CloudEvent) -> None:
    return None


def _handlers(runtime: ServiceRuntime) -> HandlerRegistry:
    registry = HandlerRegistry()
    registry.on(OrderProbe, _ignore)
    return registry


async def _nothing(runtime: ServiceRuntime) -> None:
    return None


SPEC = ServiceSpec(
    name="probe",
    title="probe",
    description="",
    routers=[router],
    migrations_dir=Path("/nonexistent"),
    handlers=_handlers,
    jobs=lambda _: [PeriodicJob("probe-job", 3600.0, _nothing)],
)


def _app(database: Database, infra: Infra, keys: tuple[Path, Path], prefix: str, role: str) -> Any:
    url = database.engine.url.render_as_string(hide_password=False)
    settings = ServiceSettings(
        **test_settings(
            "probe",
            url,
            infra,
            keys,
            MIGRATE_ON_START=False,
            KAFKA_TOPIC_PREFIX=prefix,
            PROCESS_ROLE=role,
            OUTBOX_POLL_INTERVAL=0.2,
        )
    )
    return create_service_app(SPEC, settings)


async def test_the_api_commits_and_the_worker_publishes(
    database: Database, infra: Infra, keys: tuple[Path, Path], topic_prefix: str
) -> None:
    api = _app(database, infra, keys, topic_prefix, "api")
    worker = _app(database, infra, keys, topic_prefix, "worker")
    async with running_app(api) as api_client:
        api_runtime: ServiceRuntime = api.state.runtime
        assert api_runtime.relay is None
        assert api_runtime.consumer is not None  # built for dead-letter replays, not started
        assert [job.name for job in api_runtime.jobs] == ["policy-refresh"]
        assert (await api_client.get("/healthz")).json()["details"]["relay"] == "not_running"

        event_id = (await api_client.post("/probe")).json()["event_id"]
        await asyncio.sleep(1.0)  # no relay in the API process: the row stays unsent
        assert await _published_at(database, event_id) is None

        async with running_app(worker) as worker_client:
            worker_runtime: ServiceRuntime = worker.state.runtime
            assert {job.name for job in worker_runtime.jobs} == {
                "policy-refresh",
                "messaging-retention",
                "probe-job",
            }
            assert (await worker_client.post("/probe")).status_code == 404
            assert (await worker_client.get("/readyz")).status_code == 200
            for _ in range(100):
                if await _published_at(database, event_id) is not None:
                    break
                await asyncio.sleep(0.1)
            assert await _published_at(database, event_id) is not None


async def _published_at(database: Database, event_id: str) -> Any:
    async with database.sessions() as session:
        query = select(outbox.c.published_at).where(outbox.c.event_id == event_id)
        return (await session.execute(query)).scalar_one()
