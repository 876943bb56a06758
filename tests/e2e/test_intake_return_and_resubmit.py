"""Issue 3 end to end, through the gateway and real Kafka with every service as a process:

submit → review opens a case; review returns it → intake shows `returned` with the reason →
the enterprise edits and resubmits → a new review round (the case is pending again and the
application is under review again).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from localdev.stack import Stack
from localdev.testing import Tokens
from shared.kernel.codes.uscc import with_check_digit
from shared.kernel.evaluation.samples import sample_document

from .helpers import upload_required_evidence

pytestmark = pytest.mark.e2e

DEADLINE = 60.0
HOME_AGENCY = "150100"  # region 150105 → 呼和浩特市科技局
OPEN_CASE = ("pending", "onsite_required")


@pytest.fixture
def http(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.gateway_url, timeout=15) as client:
        yield client


def eventually(probe: Callable[[], Any], what: str, deadline: float = DEADLINE) -> Any:
    """Poll `probe` until it returns something truthy; fail naming `what` after the deadline."""
    end = time.monotonic() + deadline
    last: Any = None
    while time.monotonic() < end:
        last = probe()
        if last:
            return last
        time.sleep(0.25)
    pytest.fail(f"timed out waiting for {what}; last seen: {last!r}")


def application(http: httpx.Client, headers: dict[str, str], app_id: str) -> dict[str, Any]:
    response = http.get(f"/api/v1/applications/{app_id}", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def case_of(http: httpx.Client, headers: dict[str, str], app_id: str) -> dict[str, Any] | None:
    response = http.get("/api/v1/review-cases", params={"limit": 500}, headers=headers)
    assert response.status_code == 200, response.text
    return next((c for c in response.json()["items"] if c["application_id"] == app_id), None)


def test_returned_application_is_edited_and_resubmitted_for_a_new_round(
    http: httpx.Client, tokens: Tokens
) -> None:
    uscc = with_check_digit("91150105MA0E30001")
    enterprise = tokens.enterprise(uscc)
    agency = tokens.agency(HOME_AGENCY)
    form = sample_document({"enterprise.uscc": uscc})

    profile = http.post("/api/v1/enterprises", json=form["enterprise"], headers=enterprise)
    assert profile.status_code == 201, profile.text
    created = http.post("/api/v1/applications", json=form, headers=enterprise)
    assert created.status_code == 201, created.text
    app_id = created.json()["id"]
    upload_required_evidence(http, tokens, created.json())
    submitted = http.post(f"/api/v1/applications/{app_id}/submit", headers=enterprise)
    assert submitted.status_code == 200, submitted.text

    case = eventually(lambda: case_of(http, agency, app_id), "the review case")
    assert case["agency"] == HOME_AGENCY
    eventually(
        lambda: application(http, enterprise, app_id)["status"] == "under_review",
        "the application to be under review",
    )

    reason = "请补充上一年度研发费用辅助账"
    decision = http.post(
        f"/api/v1/review-cases/{case['id']}/decision",
        json={"decision": "return", "reason": reason},
        headers=agency,
    )
    assert decision.status_code == 200, (
        f"review's decision endpoint answered {decision.status_code}: {decision.text}"
    )

    returned = eventually(
        lambda: (a := application(http, enterprise, app_id))["status"] == "returned" and a,
        "intake to show the return",
    )
    assert returned["editable"] is True
    assert returned["decision_reason"] == reason
    assert returned["timeline"][-1]["status"] == "returned"
    assert returned["timeline"][-1]["reason"] == reason

    form["personnel"]["st_personnel"] = 18
    edited = http.put(f"/api/v1/applications/{app_id}", json=form, headers=enterprise)
    assert edited.status_code == 200, edited.text
    resubmitted = http.post(f"/api/v1/applications/{app_id}/submit", headers=enterprise)
    assert resubmitted.status_code == 200, resubmitted.text
    assert resubmitted.json()["round"] == 2

    final = eventually(
        lambda: (
            (a := application(http, enterprise, app_id))["status"] == "under_review"
            and a["round"] == 2
            and a
        ),
        "the second review round to open",
    )
    assert [t["status"] for t in final["timeline"]] == [
        "draft",
        "submitted",
        "under_review",
        "returned",
        "submitted",
        "under_review",
    ]
    # The same case is open for review again (pending, or waiting for its on-site check:
    # a first-time applicant claiming a fast-track needs one) with the corrected form.
    reopened = eventually(
        lambda: (c := case_of(http, agency, app_id)) and c["status"] in OPEN_CASE and c,
        "the case to be open for review again",
    )
    assert reopened["id"] == case["id"]
    detail = http.get(f"/api/v1/review-cases/{case['id']}", headers=agency)
    assert detail.status_code == 200, detail.text
    assert detail.json()["form"]["personnel"]["st_personnel"] == 18
    assert detail.json()["round"] == 2


def test_public_endpoints_of_intake_answer_through_the_gateway(http: httpx.Client) -> None:
    policy = http.get("/api/v1/policy/2026")
    assert policy.status_code == 200, policy.text
    assert policy.json()["year"] == 2026
    preview = http.post(
        "/api/v1/evaluations/preview",
        json=sample_document({"enterprise.uscc": with_check_digit("91150105MA0E30002")}),
    )
    assert preview.status_code == 200, preview.text
    assert preview.json()["total"] == 100


def test_a_policy_change_is_served_at_once_through_the_gateway(
    http: httpx.Client, tokens: Tokens
) -> None:
    document = http.get("/api/v1/policy/2025").json()
    document["review"]["deadline_working_days"] = 18
    saved = http.put("/api/v1/policy/2025", json=document, headers=tokens.province())
    assert saved.status_code == 200, saved.text
    version = saved.json()["version"]
    assert version == document["version"] + 1
    assert http.get("/api/v1/policy/2025").json()["version"] == version


def test_a_return_that_corrects_the_zone_moves_case_and_application_together(
    http: httpx.Client, tokens: Tokens
) -> None:
    """A resubmitted form that names a high-tech zone moves the continued case to the zone's
    committee in review, and once the new round is open intake shows the application to that
    committee and no longer to the former agency: both services agree on who decides."""
    uscc = with_check_digit("91150105MA0E30003")
    enterprise = tokens.enterprise(uscc)
    home, zone = tokens.agency(HOME_AGENCY), tokens.agency("htz-hohhot")
    form = sample_document({"enterprise.uscc": uscc})
    created = http.post("/api/v1/applications", json=form, headers=enterprise)
    assert created.status_code == 201, created.text
    app_id = created.json()["id"]
    upload_required_evidence(http, tokens, created.json())
    assert http.post(f"/api/v1/applications/{app_id}/submit", headers=enterprise).is_success

    case = eventually(lambda: case_of(http, home, app_id), "the review case")
    eventually(
        lambda: application(http, enterprise, app_id)["status"] == "under_review",
        "the application to be under review",
    )
    decision = http.post(
        f"/api/v1/review-cases/{case['id']}/decision",
        json={"decision": "return", "reason": "企业位于金山高新区，请更正"},
        headers=home,
    )
    assert decision.status_code == 200, decision.text
    eventually(
        lambda: application(http, enterprise, app_id)["status"] == "returned",
        "intake to show the return",
    )

    form["enterprise"]["high_tech_zone"] = "htz-hohhot"
    edited = http.put(f"/api/v1/applications/{app_id}", json=form, headers=enterprise)
    assert edited.status_code == 200, edited.text
    assert http.post(f"/api/v1/applications/{app_id}/submit", headers=enterprise).is_success

    moved = eventually(
        lambda: (c := case_of(http, zone, app_id)) and c["round"] == 2 and c,
        "the second round at the zone committee",
    )
    assert moved["id"] == case["id"]
    assert case_of(http, home, app_id) is None
    eventually(
        lambda: (
            (a := application(http, enterprise, app_id))["status"] == "under_review"
            and a["round"] == 2
        ),
        "the second round to open in intake",
    )
    url = f"/api/v1/applications/{app_id}"
    assert http.get(url, headers=zone).json()["agency"] == moved["agency"] == "htz-hohhot"
    assert http.get(url, headers=home).status_code == 404
