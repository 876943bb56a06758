"""Supervision test fixtures: the app in-process on a fresh real database (no relay or
consumer; events are read from the outbox, and inbound events are fed to the handlers)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from localdev.stack import Infra
from localdev.testing import running_app, test_settings
from shared.kernel.calendar.clock import FixedClock
from supervision.bootstrap import create_app
from supervision.config import SupervisionSettings

# Thursday 2026-11-26, 10:00 in Beijing.
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {}


@pytest.fixture
async def app(
    infra: Infra,
    keys: tuple[Path, Path],
    fresh_database: Callable[[str], str],
    clock: FixedClock,
    settings_overrides: dict[str, Any],
) -> FastAPI:
    settings = SupervisionSettings(
        **test_settings(
            "supervision", fresh_database("supervision"), infra, keys, **settings_overrides
        )
    )
    return create_app(settings, run_background=False, clock=clock)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(app) as http:
        yield http


Deliver = Callable[..., Any]


@pytest.fixture
def deliver(app: FastAPI, client: httpx.AsyncClient) -> Deliver:
    """Hand an inbound event to supervision's handler, as the consumer would (one
    transaction per event; `at` is the event's time). Needs the running app (migrated)."""
    from shared.kernel.events.envelope import CloudEvent, EventPayload
    from shared.platform.db.audit import Actor
    from supervision.entrypoints.handlers import build_registry

    async def _deliver(payload: EventPayload, *, at: datetime | None = None) -> None:
        runtime = app.state.runtime
        registration = build_registry(runtime).get(payload.event_type)
        assert registration is not None, f"no handler for {payload.event_type}"
        envelope = CloudEvent.wrap(payload, source="/test", time=at or runtime.clock.now())
        async with runtime.uow(Actor.system("supervision")) as uow:
            await registration.handler(uow, payload, envelope)

    return _deliver


Outbox = Callable[..., Any]


@pytest.fixture
def outbox_events(app: FastAPI, client: httpx.AsyncClient) -> Outbox:
    """The CloudEvents written to the outbox so far (optionally of one type), in order."""
    import orjson
    from sqlalchemy import select

    from shared.platform.db.metadata import outbox

    async def _events(event_type: str | None = None) -> list[dict[str, Any]]:
        stmt = select(outbox.c.envelope, outbox.c.key, outbox.c.topic).order_by(outbox.c.id)
        if event_type is not None:
            stmt = stmt.where(outbox.c.event_type == event_type)
        async with app.state.runtime.db.sessions() as session:
            rows = (await session.execute(stmt)).all()
        return [{**orjson.loads(r.envelope), "_key": r.key, "_topic": r.topic} for r in rows]

    return _events
