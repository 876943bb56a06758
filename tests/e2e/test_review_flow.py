"""Issue 4 end to end, through the gateway and real Kafka with every service as a process:

submit → warnings → approve (with a note) → publicity batch → an objection filed in
supervision holds a case → announce → registration issued → intake shows `registered`
with the number; and two batches announced at once never share a number.

The services run on the real clock. A publicity period cannot both include today (to file
an objection) and be over (to announce), so two batches are used: one started 7 days ago
(still in its 10 working days: the objection part), one recorded with a start date 40 days
back (contract: `starts_on` may be a past date — its period is over: the announcement part).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from localdev.stack import Stack
from localdev.testing import Tokens
from shared.kernel.calendar.clock import SystemClock

from .helpers import eventually, file_objection, form_for, new_uscc, upload_required_evidence

pytestmark = pytest.mark.e2e

DEADLINE = 60.0
AGENCY = "150100"  # region 150105 → 呼和浩特市科技局
NUMBER = re.compile(r"^\d{4}\d{6}A\d{7}$")


@pytest.fixture
def http(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as client:
        yield client


def today() -> date:
    return SystemClock().today()


def submit(http: httpx.Client, tokens: Tokens, uscc: str, **changes: Any) -> str:
    """The enterprise files and submits its form; returns the application id."""
    enterprise = tokens.enterprise(uscc)
    # The sample's high-tech certificate ended on 2026-11-19: no fast-track claim. Its own
    # IP number and contact, so the cross-enterprise warnings stay quiet.
    digits = int(hashlib.sha256(uscc.encode()).hexdigest(), 16)
    own = {
        "fast_track": [],
        "ip.0.number": f"ZL2021{uscc[-8:]}.1",
        "enterprise.contact.phone": f"136{digits % 10**8:08d}",
        "enterprise.contact.email": f"{uscc.lower()}@example.cn",
    }
    form = form_for(uscc, **{**own, **changes})
    profile = http.post("/api/v1/enterprises", json=form["enterprise"], headers=enterprise)
    assert profile.status_code in (200, 201), profile.text
    created = http.post("/api/v1/applications", json=form, headers=enterprise)
    assert created.status_code == 201, created.text
    application_id: str = created.json()["id"]
    upload_required_evidence(http, tokens, created.json())
    submitted = http.post(f"/api/v1/applications/{application_id}/submit", headers=enterprise)
    assert submitted.status_code == 200, submitted.text
    return application_id


def review_case(http: httpx.Client, tokens: Tokens, application_id: str) -> dict[str, Any]:
    def probe() -> dict[str, Any] | None:
        page = http.get(
            "/api/v1/review-cases", params={"limit": 500}, headers=tokens.agency(AGENCY)
        )
        assert page.status_code == 200, page.text
        return next(
            (c for c in page.json()["items"] if c["application_id"] == application_id), None
        )

    case: dict[str, Any] = eventually(probe, timeout=DEADLINE, what="the review case")
    return case


def approve(http: httpx.Client, tokens: Tokens, case: dict[str, Any]) -> None:
    decided = http.post(
        f"/api/v1/review-cases/{case['id']}/decision",
        json={"decision": "approve"},
        headers=tokens.agency(AGENCY),
    )
    assert decided.status_code == 200, decided.text


def application(http: httpx.Client, tokens: Tokens, uscc: str, app_id: str) -> dict[str, Any]:
    response = http.get(f"/api/v1/applications/{app_id}", headers=tokens.enterprise(uscc))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def application_in(
    http: httpx.Client, tokens: Tokens, uscc: str, app_id: str, status: str
) -> dict[str, Any]:
    def probe() -> dict[str, Any] | None:
        body = application(http, tokens, uscc, app_id)
        return body if body["status"] == status else None

    found: dict[str, Any] = eventually(
        probe, timeout=DEADLINE, what=f"intake to show the application {status}"
    )
    return found


def case_status(http: httpx.Client, tokens: Tokens, case_id: str) -> str:
    response = http.get(f"/api/v1/review-cases/{case_id}", headers=tokens.province())
    assert response.status_code == 200, response.text
    status: str = response.json()["status"]
    return status


def batch(
    http: httpx.Client, tokens: Tokens, case_ids: list[str], starts_on: date
) -> dict[str, Any]:
    response = http.post(
        "/api/v1/publicity-batches",
        json={"year": 2026, "case_ids": case_ids, "starts_on": starts_on.isoformat()},
        headers=tokens.province(),
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_submission_to_registration_with_an_objection_held_on_the_way(
    http: httpx.Client, tokens: Tokens
) -> None:
    # 1. Submit: R&D above total cost is implausible → a `warn` warning.
    flagged = new_uscc()
    flagged_app = submit(
        http,
        tokens,
        flagged,
        **{"finance.rd_expense_total": "1100000.00", "finance.cost_expense_total": "1000000.00"},
    )
    case = review_case(http, tokens, flagged_app)
    assert [(w["code"], w["severity"]) for w in case["warnings"]] == [("rd_exceeds_cost", "warn")]
    assert case["score"]["total"] == 100  # recomputed by review
    application_in(http, tokens, flagged, flagged_app, "under_review")

    # 2. Approve: refused without a note on the warning, accepted with one.
    path = f"/api/v1/review-cases/{case['id']}/decision"
    agency = tokens.agency(AGENCY)
    refused = http.post(path, json={"decision": "approve"}, headers=agency)
    assert refused.status_code == 422, refused.text
    approved = http.post(
        path, json={"decision": "approve", "notes": "已核对审计报告，口径差异"}, headers=agency
    )
    assert approved.status_code == 200, approved.text
    application_in(http, tokens, flagged, flagged_app, "approved")

    # 3. A second enterprise, clear; a third that will be objected to.
    clear = new_uscc()
    clear_app = submit(http, tokens, clear)
    clear_case = review_case(http, tokens, clear_app)
    approve(http, tokens, clear_case)
    objected = new_uscc()
    objected_app = submit(http, tokens, objected)
    objected_case = review_case(http, tokens, objected_app)
    approve(http, tokens, objected_case)

    # 4. Publicity now (includes today) for the objected one: the objection holds it.
    current = batch(http, tokens, [objected_case["id"]], today() - timedelta(days=7))
    assert date.fromisoformat(current["ends_on"]) >= today()
    application_in(http, tokens, objected, objected_app, "in_publicity")
    file_objection(http, objected, current["id"])
    eventually(
        lambda: case_status(http, tokens, objected_case["id"]) == "held",
        timeout=DEADLINE,
        what="review to hold the objected case",
    )
    early = http.post(
        f"/api/v1/publicity-batches/{current['id']}/announce", headers=tokens.province()
    )
    assert early.status_code == 409

    # 5. A publicity already over (recorded with its real, past dates): announce it.
    past = batch(http, tokens, [case["id"], clear_case["id"]], today() - timedelta(days=40))
    assert date.fromisoformat(past["ends_on"]) < today()
    announced = http.post(
        f"/api/v1/publicity-batches/{past['id']}/announce", headers=tokens.province()
    )
    assert announced.status_code == 200, announced.text
    assert (announced.json()["registered"], announced.json()["held"]) == (2, 0)
    numbers = {e["uscc"]: e["registration_number"] for e in announced.json()["entries"]}
    assert all(NUMBER.match(n) for n in numbers.values()), numbers
    assert case_status(http, tokens, objected_case["id"]) == "held"  # still held

    # 6. Intake shows the registration with its number.
    registered = application_in(http, tokens, flagged, flagged_app, "registered")
    assert registered["registration_number"] == numbers[flagged]
    clear_registered = application_in(http, tokens, clear, clear_app, "registered")
    assert clear_registered["registration_number"] == numbers[clear]

    # The tax agency can verify it; the public notice lists it without contact data.
    verified = http.get(
        "/api/v1/registrations/verify",
        params={"uscc": flagged, "year": 2026},
        headers=tokens.external(),
    )
    assert verified.status_code == 200, verified.text
    assert (verified.json()["status"], verified.json()["number"]) == ("valid", numbers[flagged])
    notices = http.get("/api/v1/public/notices", params={"kind": "announcement", "limit": 500})
    assert notices.status_code == 200, notices.text
    assert flagged in notices.text
    assert "张三" not in notices.text  # the sample's contact person
    assert "@example.cn" not in notices.text


def test_two_batches_announced_at_once_never_share_a_number(
    http: httpx.Client, tokens: Tokens
) -> None:
    cases = []
    for _ in range(6):
        app_id = submit(http, tokens, new_uscc())
        case = review_case(http, tokens, app_id)
        approve(http, tokens, case)
        cases.append(case["id"])
    started = today() - timedelta(days=40)
    first, second = batch(http, tokens, cases[:3], started), batch(http, tokens, cases[3:], started)

    def announce(batch_id: str) -> httpx.Response:
        with httpx.Client(base_url=str(http.base_url), timeout=30) as own:
            return own.post(
                f"/api/v1/publicity-batches/{batch_id}/announce", headers=tokens.province()
            )

    with ThreadPoolExecutor(max_workers=2) as pool:
        responses = list(pool.map(announce, [first["id"], second["id"]]))
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    numbers = [e["registration_number"] for r in responses for e in r.json()["entries"]]
    assert len(numbers) == 6
    assert len(set(numbers)) == 6
    serials = sorted(int(n[-7:]) for n in numbers)
    assert serials == list(range(serials[0], serials[0] + 6))  # consecutive, no gap
