"""Liveness and readiness of a service built by create_service_app, on real infrastructure."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from localdev.stack import Infra
from localdev.testing import running_app, test_settings
from shared.platform.db.engine import Database
from shared.platform.settings import ServiceSettings
from shared.platform.web.app import ServiceSpec, create_service_app

pytestmark = pytest.mark.integration

SPEC = ServiceSpec(
    name="probe", title="probe", description="", routers=[], migrations_dir=Path("/nonexistent")
)


async def ready_app(database: Database, infra: Infra, keys: tuple[Path, Path], bootstrap: str):
    url = database.engine.url.render_as_string(hide_password=False)
    settings = ServiceSettings(
        **test_settings(
            "probe", url, infra, keys, MIGRATE_ON_START=False, KAFKA_BOOTSTRAP_SERVERS=bootstrap
        )
    )
    return create_service_app(SPEC, settings)


async def readiness(client) -> tuple[int, dict[str, object]]:
    for _ in range(50):  # the relay connects in the background right after start-up
        response = await client.get("/readyz")
        if response.status_code == 200:
            break
        await asyncio.sleep(0.2)
    return response.status_code, response.json()


async def healthz_details(client) -> dict[str, object]:
    for _ in range(50):  # the relay connects in the background right after start-up
        body = (await client.get("/healthz")).json()
        if body["details"].get("kafka") == "ok":
            break
        await asyncio.sleep(0.2)
    return body["details"]


async def test_ready_when_database_answers_and_kafka_shown_in_health(
    database: Database, infra: Infra, keys: tuple[Path, Path]
) -> None:
    app = await ready_app(database, infra, keys, infra.bootstrap)
    async with running_app(app) as client:
        status, body = await readiness(client)
        details = await healthz_details(client)
        metrics = (await client.get("/metrics")).text
    assert status == 200
    assert body["checks"] == {"started": "ok", "database": "ok"}
    assert details["kafka"] == "ok"
    assert "sme_kafka_reachable 1.0" in metrics


async def test_ready_without_kafka_which_shows_in_health_and_metrics(
    database: Database, infra: Infra, keys: tuple[Path, Path]
) -> None:
    # A broker outage is absorbed by the outbox: the pod must stay in rotation.
    app = await ready_app(database, infra, keys, "127.0.0.1:1")
    async with running_app(app) as client:
        health = await client.get("/healthz")
        response = await client.get("/readyz")
        metrics = (await client.get("/metrics")).text
    assert health.status_code == 200
    assert health.json()["details"]["kafka"] == "unavailable"
    assert response.status_code == 200
    assert "sme_kafka_reachable 0.0" in metrics


async def test_not_ready_without_database_but_still_alive(
    infra: Infra, keys: tuple[Path, Path]
) -> None:
    unreachable = "postgresql+asyncpg://postgres@127.0.0.1:1/none"
    settings = ServiceSettings(**test_settings("probe", unreachable, infra, keys))
    app = create_service_app(SPEC, settings, run_background=False)
    app.state.started = True  # the lifespan itself would wait for the database
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.get("/healthz")).status_code == 200
        response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("unavailable")


async def test_metrics_expose_the_outbox_backlog(
    database: Database, infra: Infra, keys: tuple[Path, Path]
) -> None:
    app = await ready_app(database, infra, keys, infra.bootstrap)
    async with running_app(app) as client:
        text = (await client.get("/metrics")).text
    assert "sme_outbox_backlog" in text
    assert "sme_outbox_oldest_unsent_seconds" in text
    assert "sme_consumer_lag" in text
    # prometheus_client's process and GC collectors are registered too.
    assert "process_resident_memory_bytes" in text
    assert "python_gc_collections_total" in text
