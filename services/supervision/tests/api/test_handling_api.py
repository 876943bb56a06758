"""Handling cases: accept / not accept / conclude, deadlines, overdue lists, who may do it,
and who may see the filer."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from localdev.testing import Tokens
from shared.kernel.calendar.clock import FixedClock
from shared.kernel.codes.uscc import with_check_digit
from shared.kernel.events.payloads.review import PublicityEntry, PublicityStarted
from shared.platform.db.metadata import audit_log

pytestmark = pytest.mark.integration

HOHHOT_ENTERPRISE = with_check_digit("91150105MA0000011")
BATCH = "batch-h-1"
HOHHOT = "150100"


@pytest.fixture
async def objection_id(client: httpx.AsyncClient, deliver: Any) -> str:
    await deliver(
        PublicityStarted(
            batch_id=BATCH,
            year=2026,
            starts_on=date(2026, 11, 26),
            ends_on=date(2026, 12, 10),
            entries=[PublicityEntry(uscc=HOHHOT_ENTERPRISE, name="示例公司", agency=HOHHOT)],
        )
    )
    response = await client.post(
        "/api/v1/cases",
        json={
            "kind": "objection",
            "subject_uscc": HOHHOT_ENTERPRISE,
            "batch_id": BATCH,
            "grounds": "知识产权存在争议",
            "facts": "该发明专利正在无效宣告程序中。",
            "evidence": ["无效宣告请求受理通知书"],
            "filer": {"type": "person", "name": "赵六", "phone": "+86 139-1234-5678"},
        },
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_agency_of_jurisdiction_accepts_and_the_conclusion_deadline_starts(
    client: httpx.AsyncClient, tokens: Tokens, objection_id: str, outbox_events: Any
) -> None:
    response = await client.post(
        f"/api/v1/cases/{objection_id}/accept",
        json={"accepted": True},
        headers=tokens.agency(HOHHOT),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "accepted"
    assert body["accepted_on"] == "2026-11-26"
    # 30 working days after Thursday 2026-11-26 end in January 2027, a year whose official
    # schedule is not known yet: counted on weekdays and flagged provisional.
    assert body["conclude_due_on"] == "2027-01-07"
    assert body["due_on"] == body["conclude_due_on"]
    assert body["due_on_provisional"] is True
    [event] = await outbox_events("cn.sme.case.accepted.v1")
    assert event["data"]["accepted"] is True
    assert event["data"]["batch_id"] == BATCH


async def test_posting_accept_without_a_body_accepts(
    client: httpx.AsyncClient, tokens: Tokens, objection_id: str
) -> None:
    # contract.md: `POST /cases/{id}/accept`, or `{"accepted": false, "reason"}` to refuse.
    response = await client.post(
        f"/api/v1/cases/{objection_id}/accept", headers=tokens.agency(HOHHOT)
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "accepted"


async def test_not_accepting_needs_a_reason_and_closes_the_case(
    client: httpx.AsyncClient, tokens: Tokens, objection_id: str, outbox_events: Any
) -> None:
    missing = await client.post(
        f"/api/v1/cases/{objection_id}/accept",
        json={"accepted": False},
        headers=tokens.agency(HOHHOT),
    )
    assert missing.status_code == 422
    assert missing.json()["error"]["details"][0]["loc"] == ["body", "reason"]

    refused = await client.post(
        f"/api/v1/cases/{objection_id}/accept",
        json={"accepted": False, "reason": "异议事项与评价无关"},
        headers=tokens.province(),
    )
    assert refused.status_code == 200
    assert refused.json()["status"] == "not_accepted"
    assert refused.json()["due_on"] is None
    [event] = await outbox_events("cn.sme.case.accepted.v1")
    assert event["data"]["accepted"] is False

    again = await client.post(
        f"/api/v1/cases/{objection_id}/accept",
        json={"accepted": True},
        headers=tokens.province(),
    )
    assert again.status_code == 409


async def test_unsubstantiated_conclusion_is_published_and_leaves_no_credit_entry(
    client: httpx.AsyncClient, tokens: Tokens, objection_id: str, outbox_events: Any
) -> None:
    agency = tokens.agency(HOHHOT)
    early = await client.post(
        f"/api/v1/cases/{objection_id}/conclude",
        json={"finding": "unsubstantiated"},
        headers=agency,
    )
    assert early.status_code == 409  # must be accepted first
    await client.post(
        f"/api/v1/cases/{objection_id}/accept", json={"accepted": True}, headers=agency
    )
    response = await client.post(
        f"/api/v1/cases/{objection_id}/conclude",
        json={"finding": "unsubstantiated", "measures": "经核查专利有效"},
        headers=agency,
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "concluded"
    assert response.json()["finding"] == "unsubstantiated"
    [event] = await outbox_events("cn.sme.case.concluded.v1")
    assert event["data"]["finding"] == "unsubstantiated"
    assert event["data"]["batch_id"] == BATCH
    assert await outbox_events("cn.sme.credit.recorded.v1") == []


async def test_substantiated_case_enters_the_credit_archive(
    client: httpx.AsyncClient, tokens: Tokens, objection_id: str, outbox_events: Any
) -> None:
    agency = tokens.agency(HOHHOT)
    await client.post(
        f"/api/v1/cases/{objection_id}/accept", json={"accepted": True}, headers=agency
    )
    no_measures = await client.post(
        f"/api/v1/cases/{objection_id}/conclude", json={"finding": "substantiated"}, headers=agency
    )
    assert no_measures.status_code == 422
    response = await client.post(
        f"/api/v1/cases/{objection_id}/conclude",
        json={"finding": "substantiated", "measures": "建议不予入库"},
        headers=agency,
    )
    assert response.status_code == 200
    [credit] = await outbox_events("cn.sme.credit.recorded.v1")
    assert credit["data"]["uscc"] == HOHHOT_ENTERPRISE
    assert credit["data"]["kind"] == "substantiated_case"
    assert credit["data"]["detail"] == "objection"
    # A concluded case is a fact of its day, not an open listing.
    assert credit["data"]["starts_on"] == credit["data"]["ends_on"] == "2026-11-26"
    archive = await client.get(f"/api/v1/credit/{HOHHOT_ENTERPRISE}", headers=agency)
    [entry] = archive.json()["items"]
    assert entry["kind"] == "substantiated_case"
    assert entry["source"] == "supervision"
    assert entry["entry_id"] == credit["data"]["entry_id"]


async def test_no_event_of_the_whole_handling_names_the_filer(
    client: httpx.AsyncClient, tokens: Tokens, objection_id: str, outbox_events: Any
) -> None:
    agency = tokens.agency(HOHHOT)
    await client.post(f"/api/v1/cases/{objection_id}/accept", headers=agency)
    await client.post(
        f"/api/v1/cases/{objection_id}/conclude",
        json={"finding": "substantiated", "measures": "建议不予入库"},
        headers=agency,
    )
    events = await outbox_events()
    assert [e["type"] for e in events] == [
        "cn.sme.case.filed.v1",
        "cn.sme.case.accepted.v1",
        "cn.sme.case.concluded.v1",
        "cn.sme.credit.recorded.v1",
    ]
    for event in events:
        assert "赵六" not in str(event)
        assert "13912345678" not in str(event)


async def test_another_agency_cannot_see_or_handle_the_case(
    client: httpx.AsyncClient, tokens: Tokens, objection_id: str
) -> None:
    baotou = tokens.agency("150200")
    assert (await client.get(f"/api/v1/cases/{objection_id}", headers=baotou)).status_code == 404
    accept = await client.post(
        f"/api/v1/cases/{objection_id}/accept", json={"accepted": True}, headers=baotou
    )
    assert accept.status_code == 404
    listed = await client.get("/api/v1/cases", headers=baotou)
    assert listed.json()["items"] == []


async def test_enterprises_and_the_public_cannot_read_cases(
    client: httpx.AsyncClient, tokens: Tokens, objection_id: str
) -> None:
    enterprise = tokens.enterprise(HOHHOT_ENTERPRISE)
    assert (await client.get("/api/v1/cases", headers=enterprise)).status_code == 403
    assert (
        await client.get(f"/api/v1/cases/{objection_id}", headers=enterprise)
    ).status_code == 403
    assert (await client.get(f"/api/v1/cases/{objection_id}")).status_code == 401
    external = tokens.external()
    assert (
        await client.post(
            f"/api/v1/cases/{objection_id}/accept", json={"accepted": True}, headers=external
        )
    ).status_code == 403


async def test_the_filer_is_shown_to_handling_staff_only_and_the_view_is_audited(
    client: httpx.AsyncClient, tokens: Tokens, objection_id: str, app: Any
) -> None:
    detail = await client.get(f"/api/v1/cases/{objection_id}", headers=tokens.agency(HOHHOT))
    assert detail.status_code == 200
    assert detail.json()["filer"] == {
        "type": "person",
        "name": "赵六",
        "phone": "13912345678",
        "organisation": None,
    }
    assert [h["step"] for h in detail.json()["history"]] == ["received"]
    listed = await client.get("/api/v1/cases", headers=tokens.province())
    assert "赵六" not in listed.text
    assert "13912345678" not in listed.text
    async with app.state.runtime.db.sessions() as session:
        actions = (
            await session.execute(
                select(audit_log.c.action, audit_log.c.actor_org).where(
                    audit_log.c.entity_id == objection_id
                )
            )
        ).all()
    assert ("case.view_filer", HOHHOT) in [(a.action, a.actor_org) for a in actions]


async def test_every_handling_step_is_recorded(
    client: httpx.AsyncClient, tokens: Tokens, objection_id: str, app: Any
) -> None:
    agency = tokens.agency(HOHHOT)
    await client.post(
        f"/api/v1/cases/{objection_id}/accept", json={"accepted": True}, headers=agency
    )
    await client.post(
        f"/api/v1/cases/{objection_id}/conclude",
        json={"finding": "unsubstantiated"},
        headers=agency,
    )
    detail = await client.get(f"/api/v1/cases/{objection_id}", headers=agency)
    assert [h["step"] for h in detail.json()["history"]] == ["received", "accepted", "concluded"]
    async with app.state.runtime.db.sessions() as session:
        actions = (
            (
                await session.execute(
                    select(audit_log.c.action)
                    .where(audit_log.c.entity_id == objection_id)
                    .order_by(audit_log.c.id)
                )
            )
            .scalars()
            .all()
        )
    assert [a for a in actions if a != "case.view_filer"] == [
        "case.file",
        "case.accept",
        "case.conclude",
    ]


async def test_overdue_cases_are_listed(
    client: httpx.AsyncClient, tokens: Tokens, objection_id: str, clock: FixedClock
) -> None:
    agency = tokens.agency(HOHHOT)
    on_time = await client.get("/api/v1/cases?overdue=true", headers=agency)
    assert on_time.json()["items"] == []
    # The acceptance deadline is Thursday 2026-12-03: still in time that day, overdue after.
    clock.set(datetime(2026, 12, 3, 8, 0, tzinfo=UTC))
    assert (await client.get("/api/v1/cases?overdue=true", headers=agency)).json()["items"] == []
    clock.set(datetime(2026, 12, 4, 1, 0, tzinfo=UTC))
    [overdue] = (await client.get("/api/v1/cases?overdue=true", headers=agency)).json()["items"]
    assert overdue["id"] == objection_id
    assert overdue["overdue"] is True
    assert overdue["due_on"] == "2026-12-03"
    # Handling it (late) takes it off the list.
    await client.post(
        f"/api/v1/cases/{objection_id}/accept", json={"accepted": True}, headers=agency
    )
    assert (await client.get("/api/v1/cases?overdue=true", headers=agency)).json()["items"] == []


async def test_case_lists_are_paginated_and_filtered(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    for i in range(3):
        await client.post(
            "/api/v1/cases",
            json={
                "kind": "report",
                "subject_uscc": HOHHOT_ENTERPRISE,
                "grounds": f"举报{i}",
                "facts": "事实",
            },
        )
    first = await client.get("/api/v1/cases?limit=2&kind=report", headers=tokens.province())
    assert len(first.json()["items"]) == 2
    assert first.json()["next_cursor"]
    second = await client.get(
        f"/api/v1/cases?limit=2&kind=report&cursor={first.json()['next_cursor']}",
        headers=tokens.province(),
    )
    assert len(second.json()["items"]) == 1
    assert second.json()["next_cursor"] is None
    bad = await client.get("/api/v1/cases?status=lost", headers=tokens.province())
    assert bad.status_code == 422


async def test_the_api_is_documented(client: httpx.AsyncClient) -> None:
    response = await client.get("/openapi/supervision.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/cases",
        "/api/v1/cases/{case_id}/accept",
        "/api/v1/cases/{case_id}/conclude",
        "/api/v1/credit/{uscc}",
        "/api/v1/revocations",
        "/api/v1/revocations/{revocation_id}/confirm",
        "/api/v1/revocation-proposals",
    ):
        assert path in paths
