"""Tracking test fixtures: the app in-process on a fresh real database (no relay/consumer),
and helpers that deliver registration events to its handlers as the consumer would."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import select

from localdev.stack import Infra
from localdev.testing import running_app, test_settings
from shared.kernel.calendar.clock import FixedClock
from shared.kernel.codes.uscc import with_check_digit
from shared.kernel.events.envelope import CloudEvent, EventPayload
from shared.kernel.events.payloads.review import RegistrationIssued, RegistrationRevoked
from shared.platform.db.audit import Actor
from shared.platform.db.metadata import outbox
from shared.platform.runtime import ServiceRuntime
from tracking.bootstrap import create_app
from tracking.config import TrackingSettings
from tracking.entrypoints.handlers import build_registry

# 2026-11-26 10:00 in Beijing: Q3 2026 (due 15 Oct) is past, Q4 2026 is running.
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


@dataclass
class Tracking:
    """The app under test and ways to feed it events and read what it emitted."""

    http: httpx.AsyncClient
    runtime: ServiceRuntime
    clock: FixedClock

    @staticmethod
    def uscc(n: int) -> str:
        """A valid code for test enterprise n."""
        return with_check_digit(f"91150105MA{n:07d}")

    async def put_report(
        self, headers: dict[str, str], year: int, quarter: int, body: Any
    ) -> httpx.Response:
        return await self.http.put(
            f"/api/v1/quarterly-reports/{year}/{quarter}", json=body, headers=headers
        )

    async def deliver(self, payload: EventPayload) -> None:
        registration = build_registry(self.runtime).get(payload.event_type)
        assert registration is not None, payload.event_type
        envelope = CloudEvent.wrap(payload, source="/sme/review")
        async with self.runtime.uow(Actor.system("tracking")) as uow:
            await registration.handler(uow, payload, envelope)

    async def register(
        self,
        uscc: str,
        *,
        year: int = 2026,
        registered_on: date = date(2026, 1, 10),
        valid_until: date | None = None,
        agency: str = "150100",
        region_code: str = "150105",
        industry_code: str | None = "I6513",
        number: str | None = None,
    ) -> str:
        number = number or f"{year}{region_code}A{uuid.uuid4().int % 10_000_000:07d}"
        await self.deliver(
            RegistrationIssued(
                number=number,
                uscc=uscc,
                year=year,
                region_code=region_code,
                agency=agency,
                valid_until=valid_until or date(year, 12, 31),
                registered_on=registered_on,
                enterprise_name=f"测试企业{uscc[-4:]}",
                industry_code=industry_code,
            )
        )
        return number

    async def revoke(self, uscc: str, number: str, revoked_on: date, year: int = 2026) -> None:
        await self.deliver(
            RegistrationRevoked(
                number=number,
                uscc=uscc,
                year=year,
                ground="failed_spot_check",
                revoked_on=revoked_on,
            )
        )

    async def events(self, event_type: str) -> list[dict[str, Any]]:
        """The `data` of every outbox row of a type, oldest first."""
        async with self.runtime.db.sessions() as session:
            rows = (
                await session.execute(
                    select(outbox.c.envelope)
                    .where(outbox.c.event_type == event_type)
                    .order_by(outbox.c.id)
                )
            ).scalars()
            return [orjson.loads(raw)["data"] for raw in rows]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
async def tracking(
    infra: Infra,
    keys: tuple[Path, Path],
    fresh_database: Callable[[str], str],
    clock: FixedClock,
) -> AsyncIterator[Tracking]:
    settings = TrackingSettings(
        **test_settings("tracking", fresh_database("tracking"), infra, keys)
    )
    app = create_app(settings, run_background=False, clock=clock)
    async with running_app(app) as http:
        yield Tracking(http, app.state.runtime, clock)


@pytest.fixture
async def client(tracking: Tracking) -> httpx.AsyncClient:
    return tracking.http
