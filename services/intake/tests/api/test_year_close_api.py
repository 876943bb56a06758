"""The year close in intake (contract § Round 2 "Year close"): review's
`cn.sme.review.closed.v1` closes the application (`closed`, reason `year_closed`) and intake
announces it with `cn.sme.application.closed.v1`; drafts of a closed year are closed by
intake's own job; a returned application is refused after `resubmission_closes_on`."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest

from intake.service_layer.year_close import run_close_drafts
from shared.kernel.calendar.clock import FixedClock
from shared.kernel.events.payloads.review import ReviewCaseClosed, ReviewCaseOpened, ReviewDecided
from shared.platform.runtime import ServiceRuntime

pytestmark = pytest.mark.integration

CLOSED_AT = datetime(2027, 1, 4, 2, 0, tzinfo=UTC)


def closed(app: dict[str, Any]) -> ReviewCaseClosed:
    return ReviewCaseClosed(
        case_id=str(uuid.uuid4()),
        application_id=app["id"],
        year=2026,
        uscc=app["uscc"],
        agency="150100",
        reason="year_closed",
        closed_at=CLOSED_AT,
    )


async def test_a_case_closed_by_review_closes_the_application_once(
    filing: Any, events: Any, emitted: Any
) -> None:
    app = await filing.submitted(81)
    assert await events.deliver(closed(app)) == "handled"
    body = await filing.read(app, 81)
    assert body["status"] == "closed"
    assert (body["timeline"][-1]["status"], body["timeline"][-1]["reason"]) == (
        "closed",
        "year_closed",
    )
    [event] = await emitted.envelopes("cn.sme.application.closed.v1")
    assert (event["data"]["application_id"], event["data"]["reason"]) == (app["id"], "year_closed")
    assert event["_key"] == app["uscc"]
    # A second closure of the same case (another event id) changes and emits nothing.
    await events.deliver(closed(app))
    assert len(await emitted.envelopes("cn.sme.application.closed.v1")) == 1


async def test_drafts_of_a_closed_year_are_closed_by_intake(
    filing: Any, runtime: ServiceRuntime, clock: FixedClock, emitted: Any
) -> None:
    draft = await filing.create(82)
    assert await run_close_drafts(runtime) == 0  # the year is still open
    clock.set(CLOSED_AT)
    assert await run_close_drafts(runtime) == 1
    assert await run_close_drafts(runtime) == 0  # idempotent
    assert (await filing.read(draft, 82))["status"] == "closed"
    [event] = await emitted.envelopes("cn.sme.application.closed.v1")
    assert event["data"]["application_id"] == draft["id"]


async def test_a_resubmission_after_resubmission_closes_on_is_refused_with_the_date(
    filing: Any, events: Any, clock: FixedClock
) -> None:
    app = await filing.submitted(83)
    case = str(uuid.uuid4())
    at = datetime(2026, 7, 1, 3, 0, tzinfo=UTC)
    await events.deliver(
        ReviewCaseOpened(
            case_id=case,
            application_id=app["id"],
            year=2026,
            uscc=app["uscc"],
            agency="150100",
            opened_at=at,
        )
    )
    await events.deliver(
        ReviewDecided(
            case_id=case,
            application_id=app["id"],
            year=2026,
            uscc=app["uscc"],
            decision="return",
            reason="请补充材料",
            agency="150100",
            decided_at=at,
        )
    )
    clock.set(datetime.combine(date(2027, 1, 29), datetime.min.time(), tzinfo=UTC))
    refused = await filing.client.post(
        f"/api/v1/applications/{app['id']}/submit", headers=filing.as_enterprise(83)
    )
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["code"] == "resubmission_closed"
    assert "2027-01-28" in error["message"]
    assert "2027-01-28" in error["message_en"]
