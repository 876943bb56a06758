"""Issue 5 end to end — objections (异议) during publicity, through the gateway and real Kafka:

objection during publicity → the review case is held → concluded unsubstantiated → the
batch's announcement registers it; upheld (substantiated) → the case is rejected.

The publicity period and the announcement cannot both be "now": objections are admitted
only until `ends_on`, the announcement only after it. So the batch is recorded with a
start date 30 days back (contract: `starts_on` may be a past date), review and intake run
on the real date (the period is over: announce works), and supervision runs 30 days back
(`SME_CLOCK_OFFSET_DAYS=-30`, a test-only setting), on the first day of that period.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from localdev.stack import Infra, Stack
from localdev.testing import Tokens, new_stack
from shared.kernel.calendar.clock import SystemClock

from .helpers import eventually, file_objection, form_for, new_uscc, upload_required_evidence

pytestmark = pytest.mark.e2e

OFFSET_DAYS = 30
AGENCY = "150100"  # region 150105 → 呼和浩特市科技局
DEADLINE = 60.0


@pytest.fixture(scope="module")
def stack(infra: Infra, keys: tuple[Path, Path]) -> Iterator[Stack]:
    running = new_stack(
        infra,
        "sup_objections",
        extra_env={"supervision": {"SME_CLOCK_OFFSET_DAYS": str(-OFFSET_DAYS)}},
    )
    try:
        running.start()
        yield running
    finally:
        running.stop()


@pytest.fixture
def http(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.gateway_url, timeout=15) as client:
        yield client


def publicity_start() -> date:
    return SystemClock().today() - timedelta(days=OFFSET_DAYS)


def approved_case(http: httpx.Client, tokens: Tokens, uscc: str) -> dict[str, Any]:
    """Submit an eligible application and have its agency approve the review case."""
    enterprise = tokens.enterprise(uscc)
    form = form_for(uscc, **{"fast_track": []})  # the sample's certificate has expired
    profile = http.post("/api/v1/enterprises", json=form["enterprise"], headers=enterprise)
    assert profile.status_code in (200, 201), profile.text
    created = http.post("/api/v1/applications", json=form, headers=enterprise)
    assert created.status_code == 201, created.text
    application_id = created.json()["id"]
    upload_required_evidence(http, tokens, created.json())
    submitted = http.post(f"/api/v1/applications/{application_id}/submit", headers=enterprise)
    assert submitted.status_code == 200, submitted.text

    def review_case() -> dict[str, Any] | None:
        page = http.get(
            "/api/v1/review-cases", params={"limit": 500}, headers=tokens.agency(AGENCY)
        )
        assert page.status_code == 200, page.text
        return next(
            (c for c in page.json()["items"] if c["application_id"] == application_id), None
        )

    case = eventually(review_case, timeout=DEADLINE, what="the review case")
    decided = http.post(
        f"/api/v1/review-cases/{case['id']}/decision",
        json={"decision": "approve", "notes": "e2e"},
        headers=tokens.agency(AGENCY),
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "approved"
    return {**decided.json(), "application_id": application_id}


def publicity_batch(http: httpx.Client, tokens: Tokens, case_id: str) -> dict[str, Any]:
    response = http.post(
        "/api/v1/publicity-batches",
        json={"year": 2026, "case_ids": [case_id], "starts_on": publicity_start().isoformat()},
        headers=tokens.province(),
    )
    assert response.status_code == 201, response.text
    batch: dict[str, Any] = response.json()
    assert date.fromisoformat(batch["ends_on"]) < SystemClock().today()
    return batch


def file_named_objection(http: httpx.Client, uscc: str, batch_id: str) -> dict[str, Any]:
    case = file_objection(
        http, uscc, batch_id, filer_name="王小明", filer_phone="13912345678", timeout=DEADLINE
    )
    assert case["status"] == "received"
    assert "王小明" not in str(case)  # the public answer names no filer
    return case


def review_case_status(http: httpx.Client, tokens: Tokens, case_id: str) -> str:
    response = http.get(f"/api/v1/review-cases/{case_id}", headers=tokens.province())
    assert response.status_code == 200, response.text
    status: str = response.json()["status"]
    return status


def application(http: httpx.Client, tokens: Tokens, uscc: str, app_id: str) -> dict[str, Any]:
    response = http.get(f"/api/v1/applications/{app_id}", headers=tokens.enterprise(uscc))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def handle(http: httpx.Client, tokens: Tokens, case_id: str, finding: str) -> None:
    agency = tokens.agency(AGENCY)
    accepted = http.post(f"/api/v1/cases/{case_id}/accept", json={"accepted": True}, headers=agency)
    assert accepted.status_code == 200, accepted.text
    concluded = http.post(
        f"/api/v1/cases/{case_id}/conclude",
        json={"finding": finding, "measures": "经核查处理"},
        headers=agency,
    )
    assert concluded.status_code == 200, concluded.text
    assert concluded.json()["finding"] == finding


def test_a_dismissed_objection_holds_the_case_until_it_is_registered(
    http: httpx.Client, tokens: Tokens
) -> None:
    uscc = new_uscc()
    case = approved_case(http, tokens, uscc)
    batch = publicity_batch(http, tokens, case["id"])
    objection = file_named_objection(http, uscc, batch["id"])

    eventually(
        lambda: review_case_status(http, tokens, case["id"]) == "held",
        timeout=DEADLINE,
        what="review to hold the case",
    )
    announced = http.post(
        f"/api/v1/publicity-batches/{batch['id']}/announce", headers=tokens.province()
    )
    assert announced.status_code == 200, announced.text
    assert review_case_status(http, tokens, case["id"]) == "held"  # not registered yet

    handle(http, tokens, objection["id"], "unsubstantiated")
    eventually(
        lambda: review_case_status(http, tokens, case["id"]) == "registered",
        timeout=DEADLINE,
        what="the case to be registered after the objection was dismissed",
    )
    registered = eventually(
        lambda: (
            a
            if (a := application(http, tokens, uscc, case["application_id"]))["status"]
            == "registered"
            else None
        ),
        timeout=DEADLINE,
        what="intake to show the application registered",
    )
    assert registered["registration_number"]


def test_an_upheld_objection_rejects_the_case(http: httpx.Client, tokens: Tokens) -> None:
    uscc = new_uscc()
    case = approved_case(http, tokens, uscc)
    batch = publicity_batch(http, tokens, case["id"])
    objection = file_named_objection(http, uscc, batch["id"])
    eventually(
        lambda: review_case_status(http, tokens, case["id"]) == "held",
        timeout=DEADLINE,
        what="review to hold the case",
    )

    handle(http, tokens, objection["id"], "substantiated")
    eventually(
        lambda: review_case_status(http, tokens, case["id"]) == "rejected",
        timeout=DEADLINE,
        what="review to reject the case after the objection was upheld",
    )
    eventually(
        lambda: application(http, tokens, uscc, case["application_id"])["status"] == "rejected",
        timeout=DEADLINE,
        what="intake to show the application rejected",
    )
    archive = http.get(f"/api/v1/credit/{uscc}", headers=tokens.province())
    assert archive.status_code == 200, archive.text
    assert [e["kind"] for e in archive.json()["items"]] == ["substantiated_case"]


def test_a_late_or_anonymous_objection_is_refused_through_the_gateway(
    http: httpx.Client, tokens: Tokens
) -> None:
    uscc = new_uscc()
    case = approved_case(http, tokens, uscc)
    # A publicity period that had ended before supervision's "today" (60 days back).
    starts_on = SystemClock().today() - timedelta(days=2 * OFFSET_DAYS)
    created = http.post(
        "/api/v1/publicity-batches",
        json={"year": 2026, "case_ids": [case["id"]], "starts_on": starts_on.isoformat()},
        headers=tokens.province(),
    )
    assert created.status_code == 201, created.text
    batch = created.json()
    body: dict[str, Any] = {
        "kind": "objection",
        "subject_uscc": uscc,
        "batch_id": batch["id"],
        "grounds": "逾期异议",
        "facts": "事实",
        "evidence": ["材料"],
        "filer": {"type": "person", "name": "王小明", "phone": "13912345678"},
    }

    def late() -> httpx.Response | None:
        response = http.post("/api/v1/cases", json=body)
        if response.status_code == 422 and response.json()["error"]["code"] == "batch_unknown":
            return None
        return response

    refused = eventually(late, timeout=DEADLINE, what="supervision to know the batch")
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["code"] == "objection_window_closed"
    assert batch["ends_on"] in refused.json()["error"]["message"]

    anonymous = http.post("/api/v1/cases", json={**body, "filer": None})
    assert anonymous.status_code == 422
    assert anonymous.json()["error"]["code"] == "objection_anonymous"


def test_a_case_held_at_the_year_close_ends_closed_in_review_and_intake_without_a_number(
    http: httpx.Client, tokens: Tokens
) -> None:
    """contract § Round 2 "Year close". Runs last in this module: it moves the close of 2026
    to yesterday through `PUT /policy/2026` (the province entering the year's notice)."""
    uscc = new_uscc()
    case = approved_case(http, tokens, uscc)
    batch = publicity_batch(http, tokens, case["id"])
    objection = file_named_objection(http, uscc, batch["id"])
    eventually(
        lambda: review_case_status(http, tokens, case["id"]) == "held",
        timeout=DEADLINE,
        what="review to hold the case",
    )

    province = tokens.province()
    document = http.get("/api/v1/policy/2026").json()
    close = SystemClock().today() - timedelta(days=1)
    document["window"]["year_closes_on"] = close.isoformat()
    updated = http.put("/api/v1/policy/2026", json=document, headers=province)
    assert updated.status_code == 200, updated.text

    def run_close() -> dict[str, Any] | None:
        response = http.post("/api/v1/ops/review/year-close/2026", headers=province)
        if response.status_code == 409:  # review has not seen the new policy yet
            return None
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    run = eventually(run_close, timeout=DEADLINE, what="review to run the year close")
    assert run["year_closes_on"] == close.isoformat()
    assert review_case_status(http, tokens, case["id"]) == "closed"
    closed = eventually(
        lambda: (
            a
            if (a := application(http, tokens, uscc, case["application_id"]))["status"] == "closed"
            else None
        ),
        timeout=DEADLINE,
        what="intake to close the application",
    )
    assert closed["timeline"][-1]["reason"] == "year_closed"
    assert closed.get("registration_number") is None

    # The objection is dismissed after the close: the case is never registered.
    handle(http, tokens, objection["id"], "unsubstantiated")
    again = http.post("/api/v1/ops/review/year-close/2026", headers=province)
    assert again.json()["closed"] == 0
    verified = http.get(
        "/api/v1/registrations/verify",
        params={"uscc": uscc, "year": 2026},
        headers=tokens.external("tax"),
    ).json()
    assert (verified["registered"], verified["status"]) == (False, "not_registered")
    assert review_case_status(http, tokens, case["id"]) == "closed"
