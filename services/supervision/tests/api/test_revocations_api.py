"""Joint punishment proposals and revocation decisions (POST/GET /revocations)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest

from localdev.testing import Tokens
from shared.kernel.codes.uscc import with_check_digit
from shared.kernel.events.payloads.external import (
    IncidentRecorded,
    MarketListingAdded,
    MarketListingRemoved,
)
from shared.kernel.events.payloads.review import (
    RegistrationChanged,
    RegistrationIssued,
    RegistrationRevoked,
    SpotCheckFailed,
)

pytestmark = pytest.mark.integration

ENTERPRISE = with_check_digit("91150105MA0000031")
NUMBER = "2026150105A0000031"
HOHHOT = "150100"


def issued(**changes: Any) -> RegistrationIssued:
    data: dict[str, Any] = {
        "number": NUMBER,
        "uscc": ENTERPRISE,
        "year": 2026,
        "region_code": "150105",
        "agency": HOHHOT,
        "valid_until": date(2026, 12, 31),
        "registered_on": date(2026, 10, 20),
        "enterprise_name": "内蒙古示例科技有限公司",
    }
    data.update(changes)
    return RegistrationIssued(**data)


def listing(starts_on: date = date(2026, 11, 20), **changes: Any) -> MarketListingAdded:
    return MarketListingAdded(
        uscc=ENTERPRISE, list="serious_dishonesty", starts_on=starts_on, **changes
    )


async def proposals(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = await client.get("/api/v1/revocation-proposals", headers=headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_a_listing_for_a_registered_enterprise_opens_a_proposal_with_evidence(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any
) -> None:
    await deliver(issued())
    await deliver(listing(reason="提供虚假材料"))
    [proposal] = await proposals(client, tokens.province())
    assert proposal["registration_number"] == NUMBER
    assert proposal["ground"] == "credit_listing"
    assert proposal["status"] == "proposed"
    assert proposal["origin"] == "joint_punishment"
    assert proposal["agency"] == HOHHOT
    [evidence] = proposal["evidence"]
    assert evidence["kind"] == "serious_dishonesty"
    assert evidence["reason"] == "提供虚假材料"
    # The agency of jurisdiction sees it too; another agency does not.
    assert len(await proposals(client, tokens.agency(HOHHOT))) == 1
    assert await proposals(client, tokens.agency("150200")) == []
    same = await client.get("/api/v1/revocations?status=proposed", headers=tokens.province())
    assert [p["id"] for p in same.json()["items"]] == [proposal["id"]]


async def test_a_listing_known_before_the_registration_opens_a_proposal_too(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any
) -> None:
    await deliver(listing(starts_on=date(2025, 2, 1), ends_on=date(2025, 8, 1)))
    await deliver(issued())
    [proposal] = await proposals(client, tokens.province())
    assert proposal["ground"] == "credit_listing"


async def test_a_listing_before_the_lookback_years_or_for_an_unregistered_enterprise_does_not(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any
) -> None:
    await deliver(listing(starts_on=date(2023, 1, 1), ends_on=date(2024, 12, 31)))
    await deliver(issued())
    other = with_check_digit("91150105MA0000032")
    await deliver(
        MarketListingAdded(uscc=other, list="abnormal_operation", starts_on=date(2026, 5, 1))
    )
    assert await proposals(client, tokens.province()) == []


async def test_an_incident_before_the_lookback_years_opens_no_proposal(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any
) -> None:
    # An incident is a fact of one day: one of 2023 does not make a 2026 registration
    # ineligible (§2.4: the previous and the current year), whichever arrives first.
    await deliver(issued())
    await deliver(IncidentRecorded(uscc=ENTERPRISE, kind="safety", occurred_on=date(2023, 5, 3)))
    await deliver(
        IncidentRecorded(
            uscc=ENTERPRISE, kind="research_misconduct", occurred_on=date(2024, 12, 31)
        )
    )
    assert await proposals(client, tokens.province()) == []


async def test_a_listing_first_seen_by_its_removal_opens_a_proposal(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any
) -> None:
    # The same outcome as when the registration arrives after the removal.
    await deliver(issued())
    await deliver(
        MarketListingRemoved(
            uscc=ENTERPRISE,
            list="abnormal_operation",
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 6, 1),
        )
    )
    [proposal] = await proposals(client, tokens.province())
    assert proposal["ground"] == "credit_listing"
    assert proposal["evidence"][0]["kind"] == "abnormal_operation"


async def test_evidence_the_province_dismissed_does_not_reopen_a_proposal(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any
) -> None:
    await deliver(issued())
    await deliver(listing())
    [proposal] = await proposals(client, tokens.province())
    dismissed = await client.post(
        f"/api/v1/revocations/{proposal['id']}/dismiss",
        json={"reason": "名单信息有误"},
        headers=tokens.province(),
    )
    assert dismissed.status_code == 200
    # The registration published again (a replay under a new event id): nothing reopens.
    await deliver(issued())
    assert await proposals(client, tokens.province()) == []
    # New evidence does open a new proposal.
    await deliver(
        MarketListingAdded(uscc=ENTERPRISE, list="abnormal_operation", starts_on=date(2026, 11, 25))
    )
    [reopened] = await proposals(client, tokens.province())
    assert [e["kind"] for e in reopened["evidence"]] == ["abnormal_operation"]


async def test_an_expired_registration_is_not_proposed_for_revocation(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any
) -> None:
    await deliver(issued(year=2025, number="2025150105A0000031", valid_until=date(2025, 12, 31)))
    await deliver(listing())
    assert await proposals(client, tokens.province()) == []


async def test_further_evidence_joins_the_open_proposal(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any
) -> None:
    await deliver(issued())
    await deliver(listing())
    await deliver(listing())  # the same listing again: no new evidence
    await deliver(
        MarketListingAdded(uscc=ENTERPRISE, list="abnormal_operation", starts_on=date(2026, 11, 21))
    )
    await deliver(
        IncidentRecorded(uscc=ENTERPRISE, kind="environment", occurred_on=date(2026, 7, 1))
    )
    by_ground = {p["ground"]: p for p in await proposals(client, tokens.province())}
    assert set(by_ground) == {"credit_listing", "major_incident"}
    assert [e["kind"] for e in by_ground["credit_listing"]["evidence"]] == [
        "serious_dishonesty",
        "abnormal_operation",
    ]


async def test_province_confirms_a_proposal_and_the_decision_is_published(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any, outbox_events: Any
) -> None:
    await deliver(issued())
    await deliver(listing())
    await deliver(IncidentRecorded(uscc=ENTERPRISE, kind="quality", occurred_on=date(2026, 7, 1)))
    listing_proposal = next(
        p for p in await proposals(client, tokens.province()) if p["ground"] == "credit_listing"
    )
    agency_try = await client.post(
        f"/api/v1/revocations/{listing_proposal['id']}/confirm",
        json={},
        headers=tokens.agency(HOHHOT),
    )
    assert agency_try.status_code == 403
    # A credit listing is another authority's final decision: no statement needed.
    response = await client.post(
        f"/api/v1/revocations/{listing_proposal['id']}/confirm",
        json={"basis": "内科高字〔2026〕1号", "skip_statement": True},
        headers=tokens.province(),
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "revoked"
    assert response.json()["skip_statement"] is True
    assert response.json()["decided_on"] == "2026-11-26"
    [decided] = await outbox_events("cn.sme.revocation.decided.v1")
    assert decided["data"] == {
        "number": NUMBER,
        "uscc": ENTERPRISE,
        "year": 2026,
        "ground": "credit_listing",
        "basis": "内科高字〔2026〕1号",
        "revocation_id": listing_proposal["id"],
        "decided_on": "2026-11-26",
        "agency": HOHHOT,
    }
    # The other open proposal for the number is superseded; the revocation is archived.
    assert await proposals(client, tokens.province()) == []
    kinds = [e["data"]["kind"] for e in await outbox_events("cn.sme.credit.recorded.v1")]
    assert kinds[-1] == "revocation"
    again = await client.post(
        f"/api/v1/revocations/{listing_proposal['id']}/confirm", json={}, headers=tokens.province()
    )
    assert again.status_code == 409


async def test_province_opens_the_procedure_and_decides_after_the_statement(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any, outbox_events: Any
) -> None:
    await deliver(issued())
    body = {"registration_number": NUMBER, "ground": "serious_fraud", "basis": "伪造审计报告"}
    response = await client.post("/api/v1/revocations", json=body, headers=tokens.province())
    assert response.status_code == 201, response.text
    opened = response.json()
    assert (opened["status"], opened["origin"]) == ("notified", "province")
    # Thu 26 Nov 2026 + 10 working days = Thu 10 Dec.
    assert (opened["notified_on"], opened["statement_due_on"]) == ("2026-11-26", "2026-12-10")
    [notified] = await outbox_events("cn.sme.revocation.notified.v1")
    assert notified["data"]["statement_due_on"] == "2026-12-10"
    assert notified["data"]["basis"] == "伪造审计报告"
    assert await outbox_events("cn.sme.revocation.decided.v1") == []
    twice = await client.post("/api/v1/revocations", json=body, headers=tokens.province())
    assert twice.status_code == 409

    decision = f"/api/v1/revocations/{opened['id']}/decision"
    early = await client.post(
        decision, json={"decision": "revoke", "reason": "x"}, headers=tokens.province()
    )
    assert early.status_code == 409  # neither a statement nor the due date yet

    enterprise = tokens.enterprise(ENTERPRISE)
    [own] = (await client.get("/api/v1/revocations", headers=enterprise)).json()["items"]
    assert (own["id"], own["ground"], own["basis"]) == (
        opened["id"],
        "serious_fraud",
        "伪造审计报告",
    )
    stranger = tokens.enterprise(with_check_digit("91150105MA0000032"))
    assert (await client.get("/api/v1/revocations", headers=stranger)).json()["items"] == []
    statement = f"/api/v1/revocations/{opened['id']}/statement"
    assert (
        await client.post(statement, json={"text": "不是我们"}, headers=stranger)
    ).status_code == 404
    stated = await client.post(statement, json={"text": "审计报告真实，附说明"}, headers=enterprise)
    assert stated.status_code == 200, stated.text
    assert (stated.json()["status"], stated.json()["statement"]) == (
        "stated",
        "审计报告真实，附说明",
    )
    again = await client.post(statement, json={"text": "补充"}, headers=enterprise)
    assert again.status_code == 409  # once

    agency_try = await client.post(
        decision, json={"decision": "revoke", "reason": "x"}, headers=tokens.agency(HOHHOT)
    )
    assert agency_try.status_code == 403
    decided = await client.post(
        decision,
        json={"decision": "revoke", "reason": "陈述理由不成立"},
        headers=tokens.province(),
    )
    assert decided.status_code == 200, decided.text
    assert (decided.json()["status"], decided.json()["decision_reason"]) == (
        "revoked",
        "陈述理由不成立",
    )
    [event] = await outbox_events("cn.sme.revocation.decided.v1")
    assert (event["data"]["ground"], event["data"]["revocation_id"]) == (
        "serious_fraud",
        opened["id"],
    )


async def test_the_province_decides_after_the_statement_period_passes_without_one(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any, outbox_events: Any, clock: Any
) -> None:
    await deliver(issued())
    body = {"registration_number": NUMBER, "ground": "no_longer_eligible", "basis": "规模超标"}
    opened = (await client.post("/api/v1/revocations", json=body, headers=tokens.province())).json()
    decision = f"/api/v1/revocations/{opened['id']}/decision"
    clock.set(datetime(2026, 12, 10, 2, 0, tzinfo=UTC))  # the due date itself
    on_due_date = await client.post(
        decision, json={"decision": "dismiss", "reason": "x"}, headers=tokens.province()
    )
    assert on_due_date.status_code == 409
    clock.set(datetime(2026, 12, 11, 2, 0, tzinfo=UTC))
    late = await client.post(
        f"/api/v1/revocations/{opened['id']}/statement",
        json={"text": "迟到的陈述"},
        headers=tokens.enterprise(ENTERPRISE),
    )
    assert late.status_code == 409
    dismissed = await client.post(
        decision, json={"decision": "dismiss", "reason": "已整改"}, headers=tokens.province()
    )
    assert dismissed.status_code == 200, dismissed.text
    assert dismissed.json()["status"] == "dismissed"
    assert await outbox_events("cn.sme.revocation.decided.v1") == []


async def test_skip_statement_only_for_grounds_another_authority_decided(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any, outbox_events: Any
) -> None:
    await deliver(issued())
    body = {
        "registration_number": NUMBER,
        "ground": "serious_fraud",
        "basis": "x",
        "skip_statement": True,
    }
    refused = await client.post("/api/v1/revocations", json=body, headers=tokens.province())
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["loc"] == ["body", "skip_statement"]
    assert await outbox_events("cn.sme.revocation.notified.v1") == []
    body["ground"] = "major_incident"
    revoked = await client.post("/api/v1/revocations", json=body, headers=tokens.province())
    assert revoked.status_code == 201, revoked.text
    assert revoked.json()["status"] == "revoked"
    [event] = await outbox_events("cn.sme.revocation.decided.v1")
    assert event["data"]["ground"] == "major_incident"


async def test_an_agency_post_is_a_proposal_the_province_confirms(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any, outbox_events: Any
) -> None:
    await deliver(issued())
    body = {"registration_number": NUMBER, "ground": "no_longer_eligible", "basis": "已迁出本区"}
    proposed = await client.post("/api/v1/revocations", json=body, headers=tokens.agency(HOHHOT))
    assert proposed.status_code == 201, proposed.text
    assert proposed.json()["status"] == "proposed"
    assert proposed.json()["origin"] == "agency"
    assert await outbox_events("cn.sme.revocation.decided.v1") == []
    duplicate = await client.post("/api/v1/revocations", json=body, headers=tokens.agency(HOHHOT))
    assert duplicate.status_code == 409
    # The province's own procedure on the same ground takes the proposal over.
    notified = await client.post("/api/v1/revocations", json=body, headers=tokens.province())
    assert notified.status_code == 201
    assert notified.json()["id"] == proposed.json()["id"]
    assert notified.json()["status"] == "notified"


async def test_an_agency_cannot_propose_outside_its_jurisdiction(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any
) -> None:
    await deliver(issued())
    body = {"registration_number": NUMBER, "ground": "serious_fraud", "basis": "x"}
    response = await client.post("/api/v1/revocations", json=body, headers=tokens.agency("150200"))
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"] == ["body", "registration_number"]


async def test_grounds_are_exactly_those_of_the_contract(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any
) -> None:
    await deliver(issued())
    body = {"registration_number": NUMBER, "ground": "bad_attitude", "basis": "x"}
    response = await client.post("/api/v1/revocations", json=body, headers=tokens.province())
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"] == ["body", "ground"]


async def test_unknown_number_and_wrong_roles_are_refused(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    body = {"registration_number": "2026150105A9999999", "ground": "serious_fraud", "basis": "x"}
    unknown = await client.post("/api/v1/revocations", json=body, headers=tokens.province())
    assert unknown.status_code == 422
    assert unknown.json()["error"]["code"] == "registration_unknown"
    for role in (tokens.enterprise(ENTERPRISE), tokens.external()):
        assert (
            await client.post("/api/v1/revocations", json=body, headers=role)
        ).status_code == 403
    # The enterprise reads its own revocations; other systems do not read any.
    assert (await client.get("/api/v1/revocations", headers=tokens.external())).status_code == 403


async def test_a_failed_spot_check_opens_a_proposal(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any
) -> None:
    await deliver(issued())
    await deliver(
        SpotCheckFailed(
            spot_check_id="sc-1",
            number=NUMBER,
            uscc=ENTERPRISE,
            year=2026,
            agency=HOHHOT,
            notes="研发人员与申报不符",
        )
    )
    [proposal] = await proposals(client, tokens.province())
    assert proposal["ground"] == "failed_spot_check"
    assert proposal["origin"] == "spot_check"
    assert proposal["evidence"][0]["spot_check_id"] == "sc-1"


async def test_review_applying_the_decision_marks_it_applied_and_stops_new_proposals(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any
) -> None:
    await deliver(issued())
    body = {
        "registration_number": NUMBER,
        "ground": "credit_listing",
        "basis": "列入严重违法失信名单",
        "skip_statement": True,
    }
    decided = await client.post("/api/v1/revocations", json=body, headers=tokens.province())
    assert decided.json()["status"] == "revoked"
    await deliver(
        RegistrationRevoked(
            number=NUMBER,
            uscc=ENTERPRISE,
            year=2026,
            ground="credit_listing",
            revoked_on=date(2026, 11, 27),
        )
    )
    one = await client.get(f"/api/v1/revocations/{decided.json()['id']}", headers=tokens.province())
    assert one.json()["applied_on"] == "2026-11-27"
    await deliver(listing())
    assert await proposals(client, tokens.province()) == []
    other_agency = await client.get(
        f"/api/v1/revocations/{decided.json()['id']}", headers=tokens.agency("150200")
    )
    assert other_agency.status_code == 404


async def test_province_dismisses_a_proposal(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any
) -> None:
    await deliver(issued())
    await deliver(listing())
    [proposal] = await proposals(client, tokens.province())
    no_reason = await client.post(
        f"/api/v1/revocations/{proposal['id']}/dismiss", json={}, headers=tokens.province()
    )
    assert no_reason.status_code == 422
    dismissed = await client.post(
        f"/api/v1/revocations/{proposal['id']}/dismiss",
        json={"reason": "列入名单系误报，已更正"},
        headers=tokens.province(),
    )
    assert dismissed.status_code == 200
    assert dismissed.json()["status"] == "dismissed"
    assert await proposals(client, tokens.province()) == []


async def test_a_reported_size_change_opens_a_proposal_for_the_agency(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any
) -> None:
    # contract § Round 2 "Changes after registration": `size` → a revocation proposal.
    await deliver(issued())
    change = {
        "change_id": "ch-1",
        "number": NUMBER,
        "uscc": ENTERPRISE,
        "year": 2026,
        "agency": HOHHOT,
        "new_value": "职工620人",
        "effective_on": date(2026, 11, 1),
        "reported_on": date(2026, 11, 20),
        "late": False,
    }
    await deliver(RegistrationChanged(kind="other", **change))
    assert await proposals(client, tokens.province()) == []
    await deliver(RegistrationChanged(kind="size", **change))
    [proposal] = await proposals(client, tokens.agency(HOHHOT))
    assert (proposal["ground"], proposal["origin"]) == ("no_longer_eligible", "change_report")
    assert proposal["evidence"][0]["change_id"] == "ch-1"


async def test_a_run_of_registrations_is_kept_at_once_and_only_a_listed_enterprise_is_proposed(
    app: Any, client: httpx.AsyncClient, tokens: Tokens, deliver: Any
) -> None:
    """An announcement reaches supervision as a run of `registration.issued` handled in one
    transaction (the set-based handler): every registration is kept, the same number twice
    keeps the later event's facts, and only the enterprise already listed gets a proposal."""
    from sqlalchemy import select

    from shared.kernel.events.envelope import CloudEvent
    from shared.platform.db.audit import Actor
    from shared.platform.messaging.handler_registry import Received
    from supervision.adapters.tables import RegistrationRow
    from supervision.entrypoints.handlers import build_registry

    await deliver(listing(starts_on=date(2026, 3, 1)))
    others = [with_check_digit(f"91150105MA00001{i:02d}") for i in range(3)]
    run = [
        issued(),
        *[issued(uscc=u, number=f"2026150105A00001{i:02d}") for i, u in enumerate(others)],
        issued(enterprise_name="内蒙古示例科技股份有限公司"),  # same number again, later
    ]
    runtime = app.state.runtime
    registration = build_registry(runtime).get(RegistrationIssued.event_type)
    assert registration is not None
    assert registration.batch is not None  # the set-based form
    now = runtime.clock.now()
    async with runtime.uow(Actor.system("supervision")) as uow:
        await registration.handle_run(
            uow, [Received(p, CloudEvent.wrap(p, source="/test", time=now)) for p in run]
        )
    async with runtime.db.sessions() as session:
        kept = {
            r.number: (r.uscc, r.status, r.enterprise_name)
            for r in (await session.execute(select(RegistrationRow))).scalars()
        }
    assert len(kept) == 4
    assert kept[NUMBER] == (ENTERPRISE, "valid", "内蒙古示例科技股份有限公司")
    [proposal] = await proposals(client, tokens.province())
    assert proposal["registration_number"] == NUMBER
    assert proposal["ground"] == "credit_listing"
