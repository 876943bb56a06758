"""Review test fixtures: the app in-process on a fresh real database (no relay/consumer);
events from other services are delivered straight to review's handlers, as the consumer
would, and the events review emits are read back from its outbox table."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from fastapi import FastAPI
from sqlalchemy import select, text

from localdev.stack import Infra
from localdev.testing import Tokens, running_app, test_settings
from review.bootstrap import SPEC, create_app
from review.config import ReviewSettings
from shared.kernel.calendar.clock import FixedClock, today_in_china
from shared.kernel.codes.uscc import with_check_digit
from shared.kernel.evaluation.engine import evaluate
from shared.kernel.evaluation.form import InformationForm
from shared.kernel.evaluation.samples import sample_document
from shared.kernel.events.envelope import CloudEvent, EventPayload, source_of
from shared.kernel.events.payloads.intake import ApplicationSubmitted
from shared.kernel.policy.loader import shipped_policy
from shared.platform.db.audit import Actor
from shared.platform.db.metadata import outbox
from shared.platform.messaging.handler_registry import Received
from shared.platform.runtime import ServiceRuntime

# Monday 15 June 2026, 10:00 in Beijing: inside the 2026 window of the shipped policy.
NOW = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)


def uscc(n: int, region: str = "150105") -> str:
    """A valid USCC (right check digit) per test enterprise number."""
    return with_check_digit(f"91{region}MA{n:07d}")


def form_document(
    n: int, changes: Mapping[str, Any] | None = None, *, region: str = "150105"
) -> dict[str, Any]:
    """The contract's sample form for enterprise `n`, with its own code, IP and contact (so
    cross-enterprise rules do not fire by accident) and no fast-track claim."""
    base: dict[str, Any] = {
        "enterprise.uscc": uscc(n, region),
        "enterprise.name": f"内蒙古测试科技{n}有限公司",
        "enterprise.region_code": region,
        "enterprise.contact": {
            "name": "张三",
            "phone": f"139{n:08d}",
            "email": f"e{n}@example.cn",
        },
        "ip.0.number": f"ZL2021{n:08d}.1",
        "fast_track": [],
    }
    return sample_document({**base, **(changes or {})})


@dataclass
class Review:
    """The review app under test, with what a test needs to drive it."""

    app: FastAPI
    http: httpx.AsyncClient
    clock: FixedClock

    @property
    def runtime(self) -> ServiceRuntime:
        runtime: ServiceRuntime = self.app.state.runtime
        return runtime

    async def deliver(self, payload: EventPayload, *, at: datetime | None = None) -> CloudEvent:
        """Hand an event to review's handler in one transaction, as the consumer does."""
        envelope = CloudEvent.wrap(payload, source="/sme/test", time=at or self.clock.now())
        registration = SPEC.handlers(self.runtime).get(payload.event_type)
        assert registration is not None, f"review does not handle {payload.event_type}"
        async with self.runtime.uow(Actor.system("review")) as uow:
            await registration.handler(uow, payload, envelope)
        return envelope

    async def submit(
        self,
        document: dict[str, Any],
        *,
        application_id: str | None = None,
        round: int = 1,
        at: datetime | None = None,
        claimed: Mapping[str, Any] | None = None,
    ) -> str:
        """intake's `application.submitted` for the form; returns the application id."""
        submission = self.submission(
            document, application_id=application_id, round=round, at=at, claimed=claimed
        )
        await self.deliver(submission, at=submission.submitted_at)
        return submission.application_id

    def submission(
        self,
        document: dict[str, Any],
        *,
        application_id: str | None = None,
        round: int = 1,
        at: datetime | None = None,
        claimed: Mapping[str, Any] | None = None,
    ) -> ApplicationSubmitted:
        """The `application.submitted` event intake would send for the form."""
        form = InformationForm.model_validate(document)
        submitted_at = at or self.clock.now()
        policy = shipped_policy(form.year)
        evaluation = evaluate(
            form, policy, policy.evaluation_date_for(today_in_china(submitted_at))
        )
        if claimed:
            evaluation = evaluation.model_copy(update=dict(claimed))
        return ApplicationSubmitted(
            application_id=application_id or str(uuid.uuid4()),
            year=form.year,
            uscc=form.enterprise.uscc,
            form=form,
            self_evaluation=evaluation,
            submitted_at=submitted_at,
            round=round,
        )

    async def deliver_run(self, payloads: list[EventPayload]) -> None:
        """Several events of one type handed over as one run, as the consumer does with a
        batch (the handler's batch form when it has one), in one transaction."""
        registration = SPEC.handlers(self.runtime).get(payloads[0].event_type)
        assert registration is not None
        received = [Received(p, CloudEvent.wrap(p, source="/sme/test")) for p in payloads]
        async with self.runtime.uow(Actor.system("review")) as uow:
            await registration.handle_run(uow, received)

    async def case_of(self, application_id: str, headers: dict[str, str]) -> dict[str, Any]:
        response = await self.http.get("/api/v1/review-cases?limit=500", headers=headers)
        assert response.status_code == 200, response.text
        [case] = [c for c in response.json()["items"] if c["application_id"] == application_id]
        return case

    async def emitted(self, event_type: str) -> list[dict[str, Any]]:
        """The `data` of every event of this type review wrote to its outbox, in order."""
        async with self.runtime.db.sessions() as session:
            rows = (
                await session.execute(
                    select(outbox.c.envelope, outbox.c.key)
                    .where(outbox.c.event_type == event_type)
                    .order_by(outbox.c.id)
                )
            ).all()
        events = []
        for envelope, key in rows:
            event = orjson.loads(envelope)
            assert event["source"] == source_of("review")
            events.append({**event["data"], "_key": key})
        return events


async def approved_case(review: Review, tokens: Tokens, n: int, region: str = "150105") -> str:
    """Submit enterprise n's form and let its agency approve it; returns the case id."""
    app_id = await review.submit(form_document(n, region=region))
    case = await review.case_of(app_id, tokens.province())
    decided = await review.http.post(
        f"/api/v1/review-cases/{case['id']}/decision",
        json={"decision": "approve"},
        headers=tokens.agency(case["agency"]),
    )
    assert decided.status_code == 200, decided.text
    return str(case["id"])


_SEED_APPROVED = text("""
    INSERT INTO review_case (
        id, application_id, year, uscc, enterprise_name, region_code, industry_code, agency,
        status, round, form, score, self_evaluation, policy_version, first_time,
        submitted_at, due_on, due_on_provisional, onsite_triggers, created_at, updated_at)
    SELECT gen_random_uuid(), gen_random_uuid(), :year,
           '91' || :region || 'MA' || lpad(g::text, 8, '0'), '内蒙古批量测试企业' || g,
           :region, 'I6513', :agency, 'approved', 1, '{}', '{}', '{}', 1, false,
           now(), :due, false, '[]', now(), now()
    FROM generate_series(CAST(:first AS int), CAST(:last AS int)) AS g
    RETURNING id
""")


async def seed_approved_cases(
    runtime: ServiceRuntime,
    *,
    first: int,
    count: int,
    region: str = "150105",
    agency: str = "150100",
) -> list[str]:
    """`count` approved cases straight in the table (for volume and concurrency tests)."""
    async with runtime.db.sessions() as session, session.begin():
        ids = (
            await session.execute(
                _SEED_APPROVED,
                {
                    "year": 2026,
                    "region": region,
                    "agency": agency,
                    "due": date(2026, 7, 14),
                    "first": first,
                    "last": first + count - 1,
                },
            )
        ).scalars()
        return [str(i) for i in ids]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def review_settings(
    infra: Infra, keys: tuple[Path, Path], fresh_database: Callable[[str], str]
) -> ReviewSettings:
    return ReviewSettings(**test_settings("review", fresh_database("review"), infra, keys))


@pytest.fixture
async def review(review_settings: ReviewSettings, clock: FixedClock) -> AsyncIterator[Review]:
    app = create_app(review_settings, run_background=False, clock=clock)
    async with running_app(app) as http:
        yield Review(app, http, clock)


@pytest.fixture
async def client(review: Review) -> httpx.AsyncClient:
    return review.http


def on(day: date, hour_utc: int = 2) -> datetime:
    """An instant on a China date (10:00 Beijing time by default)."""
    return datetime(day.year, day.month, day.day, hour_utc, tzinfo=UTC)
