"""Intake test fixtures: the app in-process on a fresh real database (no relay/consumer).

Events from other services are delivered through the real consumer code path
(`EventConsumer.process`: CloudEvent parsing, handler registry, inbox, one transaction);
events intake emits are read from its outbox table.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from intake.bootstrap import create_app
from intake.config import IntakeSettings
from intake.entrypoints.handlers import build_registry
from localdev.evidence import required_uploads, upload_fields
from localdev.stack import Infra
from localdev.testing import Tokens, running_app, test_settings
from shared.kernel.calendar.clock import FixedClock
from shared.kernel.codes.uscc import with_check_digit
from shared.kernel.evaluation.samples import sample_document
from shared.kernel.events.envelope import CloudEvent, EventPayload
from shared.platform.db.metadata import audit_log, outbox
from shared.platform.messaging.consumer import EventConsumer, Message
from shared.platform.runtime import ServiceRuntime

# Inside the 2026 window of the shipped policy (2026-03-01 .. 2026-12-31).
NOW = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)

# The sample form's region 150105 is routed to 呼和浩特市科技局 (150100).
HOME_AGENCY = "150100"
OTHER_AGENCY = "150200"


def uscc_no(n: int) -> str:
    """A distinct, valid USCC registered in Hohhot (region 150105) per test enterprise."""
    return with_check_digit(f"91150105MA0Q4{n:04d}")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
async def app(
    infra: Infra,
    keys: tuple[Path, Path],
    fresh_database: Callable[[str], str],
    clock: FixedClock,
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    settings = IntakeSettings(**test_settings("intake", fresh_database("intake"), infra, keys))
    application = create_app(settings, run_background=False, clock=clock)
    async with running_app(application) as http:
        yield application, http


@pytest.fixture
def client(app: tuple[FastAPI, httpx.AsyncClient]) -> httpx.AsyncClient:
    return app[1]


@pytest.fixture
def runtime(app: tuple[FastAPI, httpx.AsyncClient]) -> ServiceRuntime:
    service_runtime: ServiceRuntime = app[0].state.runtime
    return service_runtime


@pytest.fixture
def form_of() -> Callable[..., dict[str, Any]]:
    """The contract's example form for enterprise `n`, with `changes` by dotted path."""

    def make(n: int = 1, changes: Mapping[str, Any] | None = None) -> dict[str, Any]:
        return sample_document({"enterprise.uscc": uscc_no(n), **(changes or {})})

    return make


class EventFeed:
    """Delivers other services' events to intake as its consumer would: one by one, or a
    fetch of several at once."""

    def __init__(self, runtime: ServiceRuntime) -> None:
        def unused(*_: object) -> Any:
            raise AssertionError("no broker in API tests")

        self._consumer = EventConsumer(
            service="intake",
            db=runtime.db,
            uow_factory=runtime.uow,
            registry=build_registry(runtime),
            metrics=runtime.metrics,
            consumer_factory=unused,
            producer_factory=unused,
        )
        self._offset = 0

    async def deliver(
        self, payload: EventPayload, *, event_id: str | None = None, at: datetime | None = None
    ) -> str:
        """Returns the consumer's outcome: "handled", "duplicate", "ignored", ..."""
        event = CloudEvent.wrap(payload, source="/sme/review", event_id=event_id, time=at)
        self._offset += 1
        return await self._consumer.process(self._message(payload, event))

    async def deliver_batch(self, payloads: list[EventPayload]) -> None:
        """The events as one fetch of one partition: handled together, a run of one type
        by its batch handler when it has one (as the consumer does under load)."""
        messages = []
        for payload in payloads:
            self._offset += 1
            event = CloudEvent.wrap(payload, source="/sme/review")
            messages.append(self._message(payload, event))
        await self._consumer.process_batch(messages)

    def _message(self, payload: EventPayload, event: CloudEvent) -> Message:
        return Message(
            topic=payload.topic,
            partition=0,
            offset=self._offset,
            key=payload.partition_key().encode(),
            value=event.to_json_bytes(),
            headers=(),
        )


@pytest.fixture
def events(runtime: ServiceRuntime) -> EventFeed:
    return EventFeed(runtime)


class Outbox:
    """What intake emitted: the envelopes in its outbox table, oldest first."""

    def __init__(self, runtime: ServiceRuntime) -> None:
        self._runtime = runtime

    async def envelopes(self, event_type: str | None = None) -> list[dict[str, Any]]:
        stmt = select(outbox.c.envelope, outbox.c.key).order_by(outbox.c.id)
        if event_type is not None:
            stmt = stmt.where(outbox.c.event_type == event_type)
        async with self._runtime.db.sessions() as session:
            rows = (await session.execute(stmt)).all()
        return [{**orjson.loads(envelope), "_key": key} for envelope, key in rows]

    async def count(self) -> int:
        async with self._runtime.db.sessions() as session:
            return int((await session.execute(select(func.count()).select_from(outbox))).scalar())


@pytest.fixture
def emitted(runtime: ServiceRuntime) -> Outbox:
    return Outbox(runtime)


class Audit:
    def __init__(self, runtime: ServiceRuntime) -> None:
        self._runtime = runtime

    async def records(self, action: str) -> list[dict[str, Any]]:
        stmt = select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.id)
        async with self._runtime.db.sessions() as session:
            return [dict(r._mapping) for r in (await session.execute(stmt)).all()]


@pytest.fixture
def audit(runtime: ServiceRuntime) -> Audit:
    return Audit(runtime)


@pytest.fixture
def uscc_of() -> Callable[[int], str]:
    return uscc_no


class Filing:
    """The enterprise side of the API in one place: create, edit, submit, read."""

    def __init__(
        self, client: httpx.AsyncClient, tokens: Tokens, form_of: Callable[..., dict[str, Any]]
    ) -> None:
        self.client = client
        self.tokens = tokens
        self.form_of = form_of

    def as_enterprise(self, n: int) -> dict[str, str]:
        return self.tokens.enterprise(uscc_no(n))

    async def create(self, n: int = 1, changes: Mapping[str, Any] | None = None) -> dict[str, Any]:
        response = await self.client.post(
            "/api/v1/applications", json=self.form_of(n, changes), headers=self.as_enterprise(n)
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    async def upload_evidence(self, application: dict[str, Any], n: int = 1) -> None:
        """The documents the form needs before submitting (localdev.evidence)."""
        for kind, refers_to in required_uploads(application["form"]):
            await self.upload(application, kind, refers_to, n)

    async def upload(
        self, application: dict[str, Any], kind: str, refers_to: str | None = None, n: int = 1
    ) -> dict[str, Any]:
        response = await self.client.post(
            f"/api/v1/applications/{application['id']}/documents",
            headers=self.as_enterprise(n),
            **upload_fields(uscc_no(n), kind, refers_to),
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    async def submit(
        self, application: dict[str, Any], n: int = 1, *, with_evidence: bool = True
    ) -> dict[str, Any]:
        if with_evidence and application["status"] == "draft":
            await self.upload_evidence(application, n)
        response = await self.client.post(
            f"/api/v1/applications/{application['id']}/submit", headers=self.as_enterprise(n)
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def submitted(
        self, n: int = 1, changes: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        return await self.submit(await self.create(n, changes), n)

    async def read(self, application: dict[str, Any], n: int = 1) -> dict[str, Any]:
        response = await self.client.get(
            f"/api/v1/applications/{application['id']}", headers=self.as_enterprise(n)
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
def filing(
    client: httpx.AsyncClient, tokens: Tokens, form_of: Callable[..., dict[str, Any]]
) -> Filing:
    return Filing(client, tokens, form_of)
