"""The year close through the API (contract § Round 2 "Year close"): at the close every case
of the year that is not registered is closed with reason `year_closed`, exactly once;
nothing is registered after it, neither by an announcement nor by a released held case."""

from __future__ import annotations

from datetime import date

import pytest

from localdev.testing import Tokens
from shared.kernel.events.payloads.supervision import CaseConcluded, CaseFiled

from ..conftest import Review, approved_case, form_document, on, uscc

pytestmark = pytest.mark.integration

BATCHES = "/api/v1/publicity-batches"
CLOSE = "/api/v1/ops/review/year-close/2026"


async def _held_in_announced_batch(review: Review, tokens: Tokens, n: int, sv: str) -> str:
    case_id = await approved_case(review, tokens, n)
    batch = (
        await review.http.post(
            BATCHES,
            json={"year": 2026, "case_ids": [case_id], "starts_on": "2026-05-06"},
            headers=tokens.province(),
        )
    ).json()
    await review.deliver(
        CaseFiled(case_id=sv, kind="objection", uscc=uscc(n), batch_id=batch["id"])
    )
    announced = await review.http.post(
        f"{BATCHES}/{batch['id']}/announce", headers=tokens.province()
    )
    assert (announced.json()["registered"], announced.json()["held"]) == (0, 1)
    return str(batch["id"])


async def test_the_close_closes_open_cases_once_and_nothing_is_registered_after_it(
    review: Review, tokens: Tokens
) -> None:
    province = tokens.province()
    held_batch = await _held_in_announced_batch(review, tokens, 91, "sv-91")
    pending_app = await review.submit(form_document(92))
    pending = await review.case_of(pending_app, province)
    # A batch that ended in time but was never announced before the close.
    late_case = await approved_case(review, tokens, 93)
    late_batch = (
        await review.http.post(
            BATCHES,
            json={"year": 2026, "case_ids": [late_case], "starts_on": "2026-12-16"},
            headers=province,
        )
    ).json()
    assert late_batch["ends_on"] == "2026-12-30"

    early = await review.http.post(CLOSE, headers=province)
    assert early.status_code == 409
    assert early.json()["error"]["code"] == "year_not_closed"
    assert (await review.http.post(CLOSE, headers=tokens.agency("150100"))).status_code == 403

    review.clock.set(on(date(2027, 1, 4)))
    after_close = await review.http.post(f"{BATCHES}/{late_batch['id']}/announce", headers=province)
    assert after_close.status_code == 409
    assert after_close.json()["error"]["code"] == "year_closed"
    assert "2026-12-31" in after_close.json()["error"]["message_en"]

    closed = await review.http.post(CLOSE, headers=province)
    assert closed.status_code == 200, closed.text
    assert closed.json() == {"year": 2026, "year_closes_on": "2026-12-31", "closed": 3, "ran": True}
    again = await review.http.post(CLOSE, headers=province)
    assert again.json()["closed"] == 0  # idempotent: nothing emitted twice

    events = await review.emitted("cn.sme.review.closed.v1")
    assert sorted(e["uscc"] for e in events) == sorted([uscc(91), uscc(92), uscc(93)])
    assert {e["reason"] for e in events} == {"year_closed"}
    case = (await review.http.get(f"/api/v1/review-cases/{pending['id']}", headers=province)).json()
    assert case["status"] == "closed"
    assert case["history"][-1]["reason"] == "year_closed"

    # The objection against the held case is dismissed after the close: no number.
    await review.deliver(
        CaseConcluded(
            case_id="sv-91",
            kind="objection",
            uscc=uscc(91),
            batch_id=held_batch,
            finding="unsubstantiated",
        )
    )
    assert await review.emitted("cn.sme.registration.issued.v1") == []
    registry = await review.http.get("/api/v1/registrations?year=2026", headers=province)
    assert registry.json()["items"] == []


async def test_a_held_case_released_after_the_close_is_closed_not_registered(
    review: Review, tokens: Tokens
) -> None:
    # The release comes before the closing job has run: the release itself closes the case.
    batch = await _held_in_announced_batch(review, tokens, 94, "sv-94")
    review.clock.set(on(date(2027, 1, 2)))
    await review.deliver(
        CaseConcluded(
            case_id="sv-94",
            kind="objection",
            uscc=uscc(94),
            batch_id=batch,
            finding="unsubstantiated",
        )
    )
    assert await review.emitted("cn.sme.registration.issued.v1") == []
    [closed] = await review.emitted("cn.sme.review.closed.v1")
    assert (closed["uscc"], closed["reason"]) == (uscc(94), "year_closed")
    verify = f"/api/v1/registrations/verify?uscc={uscc(94)}&year=2026"
    answer = (await review.http.get(verify, headers=tokens.external())).json()
    assert (answer["registered"], answer["status"]) == (False, "not_registered")
