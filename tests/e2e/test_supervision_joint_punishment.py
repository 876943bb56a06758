"""Issue 5 end to end — joint punishment (联合惩戒) and revocation, through real Kafka:

a market-supervision listing for a registered enterprise (published as another agency
would, with the sample publisher) → a revocation proposal with its evidence → the
province confirms → review applies it (`registration.revoked`) → intake shows `revoked`
and refuses a new application from the enterprise this year.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from localdev.samples import listing_added, publish
from localdev.stack import Stack
from localdev.testing import Tokens
from shared.kernel.calendar.clock import SystemClock

from .helpers import eventually, form_for, new_uscc, upload_required_evidence

pytestmark = pytest.mark.e2e

AGENCY = "150100"
DEADLINE = 60.0


@pytest.fixture
def http(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.gateway_url, timeout=15) as client:
        yield client


def registered_enterprise(http: httpx.Client, tokens: Tokens, uscc: str) -> dict[str, Any]:
    """Submit → approve → publicity (recorded as already over) → announce → registered."""
    enterprise = tokens.enterprise(uscc)
    form = form_for(uscc, **{"fast_track": []})
    assert http.post(
        "/api/v1/enterprises", json=form["enterprise"], headers=enterprise
    ).status_code in (200, 201)
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
    starts_on = SystemClock().today() - timedelta(days=30)
    batch = http.post(
        "/api/v1/publicity-batches",
        json={"year": 2026, "case_ids": [case["id"]], "starts_on": starts_on.isoformat()},
        headers=tokens.province(),
    )
    assert batch.status_code == 201, batch.text
    announced = http.post(
        f"/api/v1/publicity-batches/{batch.json()['id']}/announce", headers=tokens.province()
    )
    assert announced.status_code == 200, announced.text
    verification = eventually(
        lambda: (
            v
            if (v := verify(http, tokens, uscc)).get("registered") and v["status"] == "valid"
            else None
        ),
        timeout=DEADLINE,
        what="the registration",
    )
    return {"application_id": application_id, "number": verification["number"]}


def verify(http: httpx.Client, tokens: Tokens, uscc: str) -> dict[str, Any]:
    response = http.get(
        "/api/v1/registrations/verify",
        params={"uscc": uscc, "year": 2026},
        headers=tokens.province(),
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def proposal_for(http: httpx.Client, tokens: Tokens, number: str) -> dict[str, Any] | None:
    response = http.get("/api/v1/revocation-proposals", headers=tokens.province())
    assert response.status_code == 200, response.text
    return next((p for p in response.json()["items"] if p["registration_number"] == number), None)


def test_a_listing_for_a_registered_enterprise_leads_to_revocation(
    http: httpx.Client, tokens: Tokens, stack: Stack
) -> None:
    uscc = new_uscc()
    registration = registered_enterprise(http, tokens, uscc)
    number = registration["number"]

    listing = listing_added(
        uscc, "serious_dishonesty", starts_on=SystemClock().today(), reason="e2e 示例"
    )
    asyncio.run(
        publish([listing], bootstrap=stack.infra.bootstrap, topic_prefix=stack.topic_prefix)
    )

    proposal = eventually(
        lambda: proposal_for(http, tokens, number),
        timeout=DEADLINE,
        what="a revocation proposal from joint punishment",
    )
    assert proposal["ground"] == "credit_listing"
    assert proposal["origin"] == "joint_punishment"
    assert proposal["evidence"][0]["kind"] == "serious_dishonesty"
    # The agency of jurisdiction sees the proposal; it cannot confirm it.
    agency_view = http.get(f"/api/v1/revocations/{proposal['id']}", headers=tokens.agency(AGENCY))
    assert agency_view.status_code == 200
    refused = http.post(
        f"/api/v1/revocations/{proposal['id']}/confirm", json={}, headers=tokens.agency(AGENCY)
    )
    assert refused.status_code == 403

    confirmed = http.post(
        f"/api/v1/revocations/{proposal['id']}/confirm",
        json={"basis": "列入严重违法失信名单（e2e）", "skip_statement": True},
        headers=tokens.province(),
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "revoked"  # a listing: no statement (§ Round 2)

    revoked = eventually(
        lambda: v if (v := verify(http, tokens, uscc))["status"] == "revoked" else None,
        timeout=DEADLINE,
        what="review to revoke the registration",
    )
    assert revoked["number"] == number

    enterprise = tokens.enterprise(uscc)
    eventually(
        lambda: (
            http.get(
                f"/api/v1/applications/{registration['application_id']}", headers=enterprise
            ).json()["status"]
            == "revoked"
        ),
        timeout=DEADLINE,
        what="intake to show the application revoked",
    )
    eventually(
        lambda: (
            http.get(f"/api/v1/revocations/{proposal['id']}", headers=tokens.province())
            .json()
            .get("applied_on")
        ),
        timeout=DEADLINE,
        what="supervision to see the revocation applied",
    )
    archive = http.get(f"/api/v1/credit/{uscc}", headers=tokens.external())
    assert archive.status_code == 200, archive.text
    assert {e["kind"] for e in archive.json()["items"]} == {"serious_dishonesty", "revocation"}

    # Intake refuses a new application from the enterprise this year.
    again = http.post("/api/v1/applications", json=form_for(uscc), headers=enterprise)
    if again.status_code == 201:  # a draft may be allowed; submitting it must not be
        again = http.post(f"/api/v1/applications/{again.json()['id']}/submit", headers=enterprise)
    assert again.status_code in (409, 422), again.text


def test_the_revocation_procedure_runs_past_a_statement_deadline_nobody_used(
    http: httpx.Client, tokens: Tokens, stack: Stack
) -> None:
    """contract § Round 2 "Revocation with notice and statement": notified (with the event
    and a due date 10 working days on), the enterprise reads its own, the province cannot
    decide before the due date; supervision then runs 30 days later (SME_CLOCK_OFFSET_DAYS,
    a test-only setting): the statement is late, the province revokes, review applies it."""
    uscc = new_uscc()
    registration = registered_enterprise(http, tokens, uscc)
    number = registration["number"]
    province, enterprise = tokens.province(), tokens.enterprise(uscc)
    opened = http.post(
        "/api/v1/revocations",
        json={"registration_number": number, "ground": "no_longer_eligible", "basis": "规模超标"},
        headers=province,
    )
    assert opened.status_code == 201, opened.text
    revocation = opened.json()
    assert revocation["status"] == "notified"
    assert revocation["statement_due_on"] > revocation["notified_on"]
    [own] = http.get("/api/v1/revocations", headers=enterprise).json()["items"]
    assert (own["id"], own["basis"]) == (revocation["id"], "规模超标")
    decision = f"/api/v1/revocations/{revocation['id']}/decision"
    early = http.post(decision, json={"decision": "revoke", "reason": "x"}, headers=province)
    assert early.status_code == 409

    later = SystemClock().today() + timedelta(days=30)
    stack.restart("supervision", env={"SME_CLOCK_OFFSET_DAYS": "30"})
    try:
        late = http.post(
            f"/api/v1/revocations/{revocation['id']}/statement",
            json={"text": "逾期的陈述"},
            headers=enterprise,
        )
        assert late.status_code == 409, late.text
        decided = http.post(
            decision, json={"decision": "revoke", "reason": "期满未陈述申辩"}, headers=province
        )
        assert decided.status_code == 200, decided.text
        assert (decided.json()["status"], decided.json()["decided_on"]) == (
            "revoked",
            later.isoformat(),
        )
    finally:
        stack.restart("supervision", env={"SME_CLOCK_OFFSET_DAYS": "0"})

    def revoked_on_later() -> dict[str, Any] | None:
        response = http.get(
            "/api/v1/registrations/verify",
            params={"uscc": uscc, "year": 2026, "on": later.isoformat()},
            headers=tokens.external("tax"),
        )
        body: dict[str, Any] = response.json()
        return body if body["status"] == "revoked" else None

    verified = eventually(revoked_on_later, timeout=DEADLINE, what="review to revoke the number")
    assert (verified["revoked_on"], verified["ground"]) == (later.isoformat(), "no_longer_eligible")
    eventually(
        lambda: (
            http.get(
                f"/api/v1/applications/{registration['application_id']}", headers=enterprise
            ).json()["status"]
            == "revoked"
        ),
        timeout=DEADLINE,
        what="intake to show the application revoked",
    )


def test_changes_after_registration_reach_the_registry_notices_and_supervision(
    http: httpx.Client, tokens: Tokens
) -> None:
    """contract § Round 2 "Changes after registration": a name change is in the registry and
    the next public notice; a size change reaches supervision as a revocation proposal."""
    uscc = new_uscc()
    number = registered_enterprise(http, tokens, uscc)["number"]
    enterprise, province = tokens.enterprise(uscc), tokens.province()
    url = f"/api/v1/registrations/{number}/changes"
    today = SystemClock().today().isoformat()
    new_name = f"内蒙古更名科技{uscc[-6:]}有限公司"
    named = http.post(
        url, json={"kind": "name", "new_value": new_name, "effective_on": today}, headers=enterprise
    )
    assert named.status_code == 201, named.text
    registry = http.get("/api/v1/registrations", params={"limit": 500}, headers=province)
    [row] = [r for r in registry.json()["items"] if r["number"] == number]
    assert row["enterprise_name"] == new_name

    sized = http.post(
        url,
        json={"kind": "size", "new_value": "职工620人", "effective_on": today},
        headers=enterprise,
    )
    assert sized.status_code == 201, sized.text
    proposal = eventually(
        lambda: proposal_for(http, tokens, number),
        timeout=DEADLINE,
        what="supervision to open a proposal for the size change",
    )
    assert (proposal["ground"], proposal["origin"], proposal["agency"]) == (
        "no_longer_eligible",
        "change_report",
        AGENCY,
    )
    # The province takes it up and, once the statement is in, revokes: the revocation
    # notice — the next public notice about the enterprise — carries the new name.
    taken = http.post(f"/api/v1/revocations/{proposal['id']}/confirm", json={}, headers=province)
    assert taken.status_code == 200, taken.text
    stated = http.post(
        f"/api/v1/revocations/{proposal['id']}/statement",
        json={"text": "确已超出规模"},
        headers=enterprise,
    )
    assert stated.status_code == 200, stated.text
    decided = http.post(
        f"/api/v1/revocations/{proposal['id']}/decision",
        json={"decision": "revoke", "reason": "规模超标"},
        headers=province,
    )
    assert decided.status_code == 200, decided.text

    def revocation_notice_entry() -> dict[str, Any] | None:
        notices = http.get("/api/v1/public/notices", params={"kind": "revocation", "limit": 500})
        entries = [e for n in notices.json()["items"] for e in n["entries"]]
        return next((e for e in entries if e["registration_number"] == number), None)

    entry = eventually(revocation_notice_entry, timeout=DEADLINE, what="the revocation notice")
    assert entry["enterprise_name"] == new_name
