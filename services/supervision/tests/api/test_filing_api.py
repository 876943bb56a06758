"""POST /api/v1/cases: public filing, the objection rules, and the abuse protections."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
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

ON_BATCH = with_check_digit("91150105MA0000001")  # Hohhot
NOT_ON_BATCH = with_check_digit("91150205MA0000002")  # Baotou
BATCH = "batch-2026-01"


def started(starts_on: date = date(2026, 11, 26), ends_on: date = date(2026, 12, 10)) -> Any:
    return PublicityStarted(
        batch_id=BATCH,
        year=2026,
        starts_on=starts_on,
        ends_on=ends_on,
        entries=[PublicityEntry(uscc=ON_BATCH, name="内蒙古示例科技有限公司", agency="150100")],
    )


def objection(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "objection",
        "subject_uscc": ON_BATCH,
        "batch_id": BATCH,
        "grounds": "研发费用虚报",
        "facts": "该企业2025年研发人员实际不足10人，申报材料中的研发费用明显虚高。",
        "evidence": [{"kind": "document", "description": "工资表复印件", "reference": "f-1"}],
        "filer": {"type": "person", "name": "王小明", "phone": "13912345678"},
    }
    body.update(changes)
    return body


def complaint(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "complaint",
        "subject_uscc": NOT_ON_BATCH,
        "grounds": "拖欠货款",
        "facts": "多次催要无果!",
        "evidence": ["合同复印件"],
        "filer": None,
    }
    body.update(changes)
    return body


@pytest.fixture
async def batch(deliver: Any) -> None:
    await deliver(started())


async def test_named_objection_during_publicity_is_received_with_its_deadline(
    client: httpx.AsyncClient, batch: None, outbox_events: Any
) -> None:
    response = await client.post("/api/v1/cases", json=objection())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "received"
    assert body["kind"] == "objection"
    assert body["batch_id"] == BATCH
    # 5 working days after Thursday 2026-11-26: Fri, Mon, Tue, Wed, Thu.
    assert body["due_on"] == "2026-12-03"
    # The public answer carries nothing about the filer.
    assert "王小明" not in response.text
    assert "13912345678" not in response.text

    [event] = await outbox_events("cn.sme.case.filed.v1")
    assert event["data"]["case_id"] == body["id"]
    assert event["data"]["kind"] == "objection"
    assert event["data"]["batch_id"] == BATCH
    assert event["data"]["agency"] == "150100"
    assert event["_key"] == ON_BATCH
    assert event["_topic"] == "sme.supervision.v1"
    assert "王小明" not in str(event)
    assert "13912345678" not in str(event)


async def test_anonymous_objection_is_refused_and_says_why(
    client: httpx.AsyncClient, batch: None
) -> None:
    response = await client.post("/api/v1/cases", json=objection(filer=None))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "objection_anonymous"
    assert "匿名" in error["message"]
    assert "anonymous" in error["message_en"]
    assert error["details"][0]["loc"] == ["body", "filer"]


async def test_objection_without_a_mobile_number_is_refused(
    client: httpx.AsyncClient, batch: None
) -> None:
    filer = {"type": "person", "name": "王小明", "phone": "0471-1234567"}
    response = await client.post("/api/v1/cases", json=objection(filer=filer))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "objection_mobile_required"
    assert response.json()["error"]["details"][0]["loc"] == ["body", "filer", "phone"]


async def test_organisation_objection_needs_evidence_with_its_seal(
    client: httpx.AsyncClient, batch: None
) -> None:
    filer = {"type": "organisation", "organisation": "包头某某材料有限公司"}
    refused = await client.post("/api/v1/cases", json=objection(filer=filer))
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "objection_seal_required"

    sealed = [{"kind": "seal", "description": "加盖公章的异议书"}]
    accepted = await client.post("/api/v1/cases", json=objection(filer=filer, evidence=sealed))
    assert accepted.status_code == 201, accepted.text


async def test_objection_without_evidence_is_refused(
    client: httpx.AsyncClient, batch: None
) -> None:
    response = await client.post("/api/v1/cases", json=objection(evidence=[]))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "evidence_missing"


async def test_late_objection_is_refused_with_the_end_of_the_period(
    client: httpx.AsyncClient, batch: None, clock: FixedClock
) -> None:
    clock.set(datetime(2026, 12, 11, 1, 0, tzinfo=UTC))  # the day after ends_on, Beijing
    response = await client.post("/api/v1/cases", json=objection())
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "objection_window_closed"
    assert "2026-12-10" in error["message"]
    assert "late" in error["message_en"]


async def test_objection_on_the_last_day_in_beijing_is_admitted_even_after_utc_midnight(
    client: httpx.AsyncClient, batch: None, clock: FixedClock
) -> None:
    # 23:30 Beijing on ends_on is 15:30 UTC the same day: still the last day.
    clock.set(datetime(2026, 12, 10, 15, 30, tzinfo=UTC))
    response = await client.post("/api/v1/cases", json=objection())
    assert response.status_code == 201, response.text
    # 00:30 Beijing the next day is still 2026-12-10 in UTC: already late.
    clock.set(datetime(2026, 12, 10, 16, 30, tzinfo=UTC))
    late = await client.post("/api/v1/cases", json=objection(grounds="另一异议"))
    assert late.status_code == 422
    assert late.json()["error"]["code"] == "objection_window_closed"


async def test_objection_before_publicity_starts_is_refused(
    client: httpx.AsyncClient, deliver: Any
) -> None:
    await deliver(started(starts_on=date(2026, 11, 27), ends_on=date(2026, 12, 11)))
    response = await client.post("/api/v1/cases", json=objection())
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "objection_window_not_open"


async def test_objection_against_an_enterprise_not_on_the_batch_is_refused(
    client: httpx.AsyncClient, batch: None
) -> None:
    response = await client.post("/api/v1/cases", json=objection(subject_uscc=NOT_ON_BATCH))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "subject_not_in_batch"


async def test_objection_to_an_unknown_batch_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/cases", json=objection())
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "batch_unknown"


async def test_objection_needs_a_batch(client: httpx.AsyncClient, batch: None) -> None:
    body = objection()
    del body["batch_id"]
    response = await client.post("/api/v1/cases", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "batch_required"


async def test_anonymous_complaint_is_received_without_a_reply_channel(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    response = await client.post("/api/v1/cases", json=complaint())
    assert response.status_code == 201, response.text
    case_id = response.json()["id"]
    detail = await client.get(f"/api/v1/cases/{case_id}", headers=tokens.agency("150200"))
    assert detail.status_code == 200, detail.text
    assert detail.json()["anonymous"] is True
    assert detail.json()["filer"] is None
    assert detail.json()["agency"] == "150200"  # routed by the USCC's region code


async def test_report_about_an_enterprise_outside_the_province_goes_to_the_province(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    beijing = with_check_digit("91110105MA0000003")
    response = await client.post(
        "/api/v1/cases", json=complaint(kind="report", subject_uscc=beijing)
    )
    assert response.status_code == 201
    detail = await client.get(f"/api/v1/cases/{response.json()['id']}", headers=tokens.province())
    assert detail.json()["agency"] == "150000"


async def test_named_complaint_with_a_bad_phone_is_refused(client: httpx.AsyncClient) -> None:
    filer = {"type": "person", "name": "李四", "phone": "12345"}
    response = await client.post("/api/v1/cases", json=complaint(filer=filer))
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"] == ["body", "filer", "phone"]


async def test_the_same_filing_within_a_day_returns_the_existing_case(
    client: httpx.AsyncClient, clock: FixedClock, outbox_events: Any
) -> None:
    first = await client.post("/api/v1/cases", json=complaint())
    assert first.status_code == 201
    # Whitespace and full-width punctuation do not make it a new text.
    again = complaint(facts="  多次催要无果！  ")
    clock.advance(timedelta(hours=23))
    second = await client.post("/api/v1/cases", json=again)
    assert second.status_code == 200, second.text
    assert second.json()["id"] == first.json()["id"]
    assert len(await outbox_events("cn.sme.case.filed.v1")) == 1

    clock.advance(timedelta(hours=2))  # more than a day after the first
    third = await client.post("/api/v1/cases", json=complaint())
    assert third.status_code == 201
    assert third.json()["id"] != first.json()["id"]


async def test_same_text_from_another_filer_is_a_new_case(client: httpx.AsyncClient) -> None:
    first = await client.post("/api/v1/cases", json=complaint())
    other = await client.post(
        "/api/v1/cases", json=complaint(), headers={"X-Forwarded-For": "203.0.113.9"}
    )
    assert first.status_code == 201
    assert other.status_code == 201
    assert first.json()["id"] != other.json()["id"]


async def test_unknown_fields_and_bad_codes_are_refused_with_their_path(
    client: httpx.AsyncClient,
) -> None:
    unknown = await client.post("/api/v1/cases", json=complaint(priority="high"))
    assert unknown.status_code == 422
    assert unknown.json()["error"]["details"][0]["loc"] == ["body", "priority"]
    bad_code = await client.post("/api/v1/cases", json=complaint(subject_uscc="123"))
    assert bad_code.status_code == 422
    assert bad_code.json()["error"]["details"][0]["loc"] == ["body", "subject_uscc"]


async def test_text_with_nul_characters_is_bad_input_not_a_server_error(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    for body, loc in [
        (complaint(facts="多次\u0000催要"), ["body", "facts"]),
        (complaint(evidence=["合同\u0000"]), ["body", "evidence", 0, "description"]),
        (complaint(filer={"type": "person", "name": "李\u0000四"}), ["body", "filer", "name"]),
        (complaint(batch_id="b\u0000"), ["body", "batch_id"]),
    ]:
        response = await client.post("/api/v1/cases", json=body)
        assert response.status_code == 422, response.text
        assert response.json()["error"]["details"][0]["loc"] == loc
    for query in ("agency=%00", "batch_id=%00"):
        listed = await client.get(f"/api/v1/cases?{query}", headers=tokens.province())
        assert listed.status_code == 422, listed.text
    revocation = {"registration_number": "2026\u0000", "ground": "serious_fraud", "basis": "x"}
    refused = await client.post("/api/v1/revocations", json=revocation, headers=tokens.province())
    assert refused.status_code == 422, refused.text


async def test_an_oversized_body_is_refused_before_it_is_read(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/cases", json=complaint(facts="很长" * 40_000))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


async def test_filing_is_audited_without_personal_data(
    client: httpx.AsyncClient, batch: None, app: Any
) -> None:
    response = await client.post("/api/v1/cases", json=objection())
    async with app.state.runtime.db.sessions() as session:
        rows = (
            await session.execute(
                select(audit_log).where(audit_log.c.entity_id == response.json()["id"])
            )
        ).all()
    assert [r.action for r in rows] == ["case.file"]
    assert rows[0].actor_sub == "public"
    assert "王小明" not in str(rows[0].after)
    assert "139" not in str(rows[0].after)


class TestRateLimit:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, Any]:
        return {"FILING_RATE_LIMIT": 3, "FILING_RATE_WINDOW_SECONDS": 3600}

    async def test_a_client_over_its_quota_gets_429_and_others_do_not(
        self, client: httpx.AsyncClient
    ) -> None:
        me = {"X-Forwarded-For": "198.51.100.7"}
        statuses = [
            (
                await client.post("/api/v1/cases", json=complaint(grounds=f"第{i}件"), headers=me)
            ).status_code
            for i in range(4)
        ]
        assert statuses == [201, 201, 201, 429]
        other = await client.post(
            "/api/v1/cases", json=complaint(), headers={"X-Forwarded-For": "198.51.100.8"}
        )
        assert other.status_code == 201

    async def test_only_accepted_filings_count(self, client: httpx.AsyncClient) -> None:
        me = {"X-Forwarded-For": "198.51.100.9"}
        for _ in range(5):  # malformed attempts cost the client nothing
            bad = await client.post("/api/v1/cases", json={"kind": "nonsense"}, headers=me)
            assert bad.status_code == 422
        for i in range(3):
            ok = await client.post("/api/v1/cases", json=complaint(grounds=f"甲{i}"), headers=me)
            assert ok.status_code == 201
        blocked = await client.post("/api/v1/cases", json=complaint(), headers=me)
        assert blocked.status_code == 429
        assert blocked.json()["error"]["code"] == "rate_limited"
        # The oldest filing leaves the hour's sliding window within the hour (plus a bucket).
        assert 0 < int(blocked.headers["retry-after"]) <= 3600 + 300

    async def test_a_forged_leftmost_address_does_not_escape_the_limit(
        self, client: httpx.AsyncClient
    ) -> None:
        # The gateway appends the real address; the client controls only what is left of it.
        for i in range(3):
            forged = {"X-Forwarded-For": f"10.0.0.{i}, 198.51.100.10"}
            ok = await client.post("/api/v1/cases", json=complaint(grounds=f"{i}"), headers=forged)
            assert ok.status_code == 201
        blocked = await client.post(
            "/api/v1/cases",
            json=complaint(grounds="x"),
            headers={"X-Forwarded-For": "10.0.0.99, 198.51.100.10"},
        )
        assert blocked.status_code == 429

    async def test_the_quota_is_per_window(
        self, client: httpx.AsyncClient, clock: FixedClock
    ) -> None:
        me = {"X-Forwarded-For": "198.51.100.11"}
        for i in range(3):
            await client.post("/api/v1/cases", json=complaint(grounds=f"w{i}"), headers=me)
        assert (
            await client.post("/api/v1/cases", json=complaint(grounds="w3"), headers=me)
        ).status_code == 429
        clock.advance(timedelta(hours=1))
        assert (
            await client.post("/api/v1/cases", json=complaint(grounds="w4"), headers=me)
        ).status_code == 201
