"""Publicity batches, objections, the announcement and the registry through the API."""

from __future__ import annotations

import asyncio
import io
import uuid
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from localdev.testing import Tokens
from review.adapters.unit_of_work import SqlReviewUnitOfWork
from review.service_layer import publicity
from shared.kernel.events.payloads.intake import ApplicationWithdrawn
from shared.kernel.events.payloads.supervision import (
    CaseAccepted,
    CaseConcluded,
    CaseFiled,
    RevocationDecided,
)
from shared.kernel.policy.loader import shipped_policy
from shared.platform.auth.principal import Principal, Role

from ..conftest import Review, approved_case, form_document, on, uscc

pytestmark = pytest.mark.integration

BATCHES = "/api/v1/publicity-batches"


async def test_a_batch_is_public_for_ten_working_days_from_the_next_working_day(
    review: Review, tokens: Tokens
) -> None:
    case_ids = [await approved_case(review, tokens, n) for n in (61, 62)]
    created = await review.http.post(
        BATCHES, json={"year": 2026, "case_ids": case_ids}, headers=tokens.province()
    )
    assert created.status_code == 201, created.text
    batch = created.json()
    # Today Mon 15 June → starts Tue 16 June; 17, 18, (19 端午), 22-26, 29, 30 June, 1 July.
    assert batch["starts_on"] == "2026-06-16"
    assert batch["ends_on"] == "2026-07-01"
    assert batch["ends_on_provisional"] is False
    assert {e["state"] for e in batch["entries"]} == {"in_publicity"}
    [started] = await review.emitted("cn.sme.publicity.started.v1")
    assert started["_key"] == batch["id"]
    assert {e["case_id"] for e in started["entries"]} == set(case_ids)
    assert "phone" not in str(started)
    assert "contact" not in str(started)

    # Announcing during the period is refused.
    announce = f"{BATCHES}/{batch['id']}/announce"
    early = await review.http.post(announce, headers=tokens.province())
    assert early.status_code == 409
    assert early.json()["error"]["code"] == "publicity_not_ended"


async def test_only_the_province_creates_batches_of_approved_cases(
    review: Review, tokens: Tokens
) -> None:
    app_id = await review.submit(form_document(63))
    pending = (await review.case_of(app_id, tokens.province()))["id"]
    body = {"year": 2026, "case_ids": [pending]}
    assert (
        await review.http.post(BATCHES, json=body, headers=tokens.agency("150100"))
    ).status_code == 403
    not_approved = await review.http.post(BATCHES, json=body, headers=tokens.province())
    assert not_approved.status_code == 409
    assert not_approved.json()["error"]["details"][0]["loc"] == ["body", "case_ids", 0]
    unknown = await review.http.post(
        BATCHES,
        json={"year": 2026, "case_ids": ["00000000-0000-0000-0000-000000000001"]},
        headers=tokens.province(),
    )
    assert unknown.status_code == 422
    twice = await review.http.post(
        BATCHES, json={"year": 2026, "case_ids": [pending, pending]}, headers=tokens.province()
    )
    assert twice.status_code == 422
    assert twice.json()["error"]["details"][0]["loc"] == ["body", "case_ids"]


async def test_announcing_registers_clear_cases_with_consecutive_numbers_and_holds_objected_ones(
    review: Review, tokens: Tokens
) -> None:
    province = tokens.province()
    clear = [await approved_case(review, tokens, n) for n in (71, 72)]
    objected = await approved_case(review, tokens, 73, region="150203")
    created = await review.http.post(
        BATCHES,
        json={"year": 2026, "case_ids": [*clear, objected], "starts_on": "2026-05-06"},
        headers=province,
    )
    batch = created.json()
    assert batch["ends_on"] == "2026-05-19"  # a past publicity; Sat 9 May is worked (调休)

    await review.deliver(
        CaseFiled(case_id="sv-1", kind="objection", uscc=uscc(73, "150203"), batch_id=batch["id"])
    )
    states = {
        e["uscc"]: e["state"]
        for e in (await review.http.get(f"{BATCHES}/{batch['id']}", headers=province)).json()[
            "entries"
        ]
    }
    assert states[uscc(73, "150203")] == "held"

    announced = await review.http.post(f"{BATCHES}/{batch['id']}/announce", headers=province)
    assert announced.status_code == 200, announced.text
    body = announced.json()
    assert (body["status"], body["registered"], body["held"]) == ("announced", 2, 1)
    numbers = sorted(e["registration_number"] for e in body["entries"] if e["registration_number"])
    assert numbers == ["2026150105A0000001", "2026150105A0000002"]

    [announcement] = await review.emitted("cn.sme.publicity.announced.v1")
    assert announcement["held"][0]["uscc"] == uscc(73, "150203")
    issued = await review.emitted("cn.sme.registration.issued.v1")
    assert sorted(e["number"] for e in issued) == numbers
    assert {e["valid_until"] for e in issued} == {"2026-12-31"}
    assert {e["registered_on"] for e in issued} == {"2026-06-15"}
    assert all(e["_key"] == e["uscc"] and e["application_id"] for e in issued)
    again = await review.http.post(f"{BATCHES}/{batch['id']}/announce", headers=province)
    assert again.status_code == 409

    # The objection is dismissed after the announcement: registered at once, next serial.
    await review.deliver(
        CaseConcluded(
            case_id="sv-1",
            kind="objection",
            uscc=uscc(73, "150203"),
            batch_id=batch["id"],
            finding="unsubstantiated",
        )
    )
    issued = await review.emitted("cn.sme.registration.issued.v1")
    assert issued[-1]["number"] == "2026150203A0000003"
    assert issued[-1]["uscc"] == uscc(73, "150203")
    registrations = await review.http.get("/api/v1/registrations?year=2026", headers=province)
    assert len(registrations.json()["items"]) == 3
    baotou = await review.http.get(
        "/api/v1/registrations?region=1502", headers=tokens.agency("150200")
    )
    assert [r["number"] for r in baotou.json()["items"]] == ["2026150203A0000003"]
    hohhot_sees = await review.http.get("/api/v1/registrations", headers=tokens.agency("150100"))
    assert {r["agency"] for r in hohhot_sees.json()["items"]} == {"150100"}


async def test_an_upheld_objection_rejects_the_case(review: Review, tokens: Tokens) -> None:
    province = tokens.province()
    case_id = await approved_case(review, tokens, 74)
    batch = (
        await review.http.post(
            BATCHES, json={"year": 2026, "case_ids": [case_id]}, headers=province
        )
    ).json()
    code = uscc(74)
    await review.deliver(
        CaseFiled(case_id="sv-2", kind="objection", uscc=code, batch_id=batch["id"])
    )
    await review.deliver(
        CaseConcluded(
            case_id="sv-2",
            kind="objection",
            uscc=code,
            batch_id=batch["id"],
            finding="substantiated",
        )
    )
    case = (await review.http.get(f"/api/v1/review-cases/{case_id}", headers=province)).json()
    assert case["status"] == "rejected"
    [decided] = [
        d for d in await review.emitted("cn.sme.review.decided.v1") if d["decision"] == "reject"
    ]
    assert decided["case_id"] == case_id
    assert decided["reason"]


async def test_an_objection_not_accepted_releases_the_hold(review: Review, tokens: Tokens) -> None:
    province = tokens.province()
    case_id = await approved_case(review, tokens, 75)
    batch = (
        await review.http.post(
            BATCHES, json={"year": 2026, "case_ids": [case_id]}, headers=province
        )
    ).json()
    code = uscc(75)
    await review.deliver(
        CaseFiled(case_id="sv-3", kind="objection", uscc=code, batch_id=batch["id"])
    )
    await review.deliver(CaseFiled(case_id="sv-4", kind="complaint", uscc=code))
    assert (await review.http.get(f"/api/v1/review-cases/{case_id}", headers=province)).json()[
        "status"
    ] == "held"
    await review.deliver(
        CaseAccepted(
            case_id="sv-3", kind="objection", uscc=code, batch_id=batch["id"], accepted=False
        )
    )
    case = (await review.http.get(f"/api/v1/review-cases/{case_id}", headers=province)).json()
    assert case["status"] == "in_publicity"
    assert [h["action"] for h in case["history"]][-2:] == ["held", "released"]


async def test_a_case_withdrawn_during_publicity_is_not_registered(
    review: Review, tokens: Tokens
) -> None:
    province = tokens.province()
    kept, withdrawn = [await approved_case(review, tokens, n) for n in (81, 82)]
    batch = (
        await review.http.post(
            BATCHES,
            json={"year": 2026, "case_ids": [kept, withdrawn], "starts_on": "2026-05-06"},
            headers=province,
        )
    ).json()
    application_id = next(
        e["application_id"] for e in batch["entries"] if e["case_id"] == withdrawn
    )
    await review.deliver(
        ApplicationWithdrawn(application_id=application_id, year=2026, uscc=uscc(82))
    )

    announced = await review.http.post(f"{BATCHES}/{batch['id']}/announce", headers=province)
    assert announced.status_code == 200, announced.text
    assert (announced.json()["registered"], announced.json()["held"]) == (1, 0)
    states = {e["case_id"]: e["state"] for e in announced.json()["entries"]}
    assert states == {kept: "registered", withdrawn: "withdrawn"}
    issued = await review.emitted("cn.sme.registration.issued.v1")
    assert [e["uscc"] for e in issued] == [uscc(81)]


async def test_revocation_verification_and_public_notices(review: Review, tokens: Tokens) -> None:
    province = tokens.province()
    case_id = await approved_case(review, tokens, 76)
    batch = (
        await review.http.post(
            BATCHES,
            json={"year": 2026, "case_ids": [case_id], "starts_on": "2026-05-06"},
            headers=province,
        )
    ).json()
    await review.http.post(f"{BATCHES}/{batch['id']}/announce", headers=province)
    code = uscc(76)
    verify = f"/api/v1/registrations/verify?uscc={code}&year=2026"
    tax = tokens.external("tax")
    valid = (await review.http.get(verify, headers=tax)).json()
    today = review.clock.today().isoformat()
    assert valid == {
        "registered": True,
        "number": "2026150105A0000001",
        "status": "valid",
        "registered_on": today,
        "valid_from": today,
        "valid_until": "2026-12-31",
        "revoked_on": None,
        "ground": None,
        "uscc": code,
        "year": 2026,
        "as_of": today,
    }
    assert (await review.http.get(verify, headers=tokens.agency("150100"))).status_code == 403
    assert (await review.http.get(verify)).status_code == 401
    bad = await review.http.get("/api/v1/registrations/verify?uscc=short&year=2026", headers=tax)
    assert bad.status_code == 422
    nobody = await review.http.get(
        f"/api/v1/registrations/verify?uscc={uscc(99)}&year=2026", headers=tax
    )
    assert (nobody.json()["registered"], nobody.json()["status"]) == (False, "not_registered")

    await review.deliver(
        RevocationDecided(
            number="2026150105A0000001",
            uscc=code,
            year=2026,
            ground="failed_spot_check",
            basis="抽查发现研发费用不实",
            decided_on=date(2026, 7, 1),
        )
    )
    revoked = (await review.http.get(f"{verify}&on=2026-07-01", headers=province)).json()
    assert (revoked["status"], revoked["revoked_on"]) == ("revoked", "2026-07-01")
    assert (revoked["registered"], revoked["ground"]) == (True, "failed_spot_check")
    # In the tax settlement of 2026 (May 2027) the revocation still shows with its date.
    settled = (await review.http.get(f"{verify}&on=2027-05-20", headers=tax)).json()
    assert (settled["registered"], settled["status"], settled["revoked_on"]) == (
        True,
        "revoked",
        "2026-07-01",
    )
    before = (await review.http.get(f"{verify}&on=2026-06-30", headers=tax)).json()
    assert before["status"] == "valid"
    [event] = await review.emitted("cn.sme.registration.revoked.v1")
    assert (event["number"], event["ground"], event["revoked_on"]) == (
        "2026150105A0000001",
        "failed_spot_check",
        "2026-07-01",
    )

    notices = await review.http.get("/api/v1/public/notices")
    assert notices.status_code == 200
    kinds = [n["kind"] for n in notices.json()["items"]]
    assert kinds == ["revocation", "announcement", "publicity"]  # newest first
    text = notices.text
    for personal in ("张三", "139", "@example.cn", "phone", "email", "contact"):
        assert personal not in text
    entry = notices.json()["items"][0]["entries"][0]
    assert set(entry) == {
        "uscc",
        "enterprise_name",
        "region_code",
        "agency",
        "registration_number",
        "ground",
    }
    only_publicity = await review.http.get("/api/v1/public/notices?kind=publicity&limit=1")
    assert [n["kind"] for n in only_publicity.json()["items"]] == ["publicity"]


async def test_a_registration_expires_after_the_end_of_its_year(
    review: Review, tokens: Tokens
) -> None:
    province = tokens.province()
    case_id = await approved_case(review, tokens, 77)
    batch = (
        await review.http.post(
            BATCHES,
            json={"year": 2026, "case_ids": [case_id], "starts_on": "2026-05-06"},
            headers=province,
        )
    ).json()
    await review.http.post(f"{BATCHES}/{batch['id']}/announce", headers=province)
    verify = f"/api/v1/registrations/verify?uscc={uscc(77)}&year=2026"
    # Queried "in" May 2027 for the tax settlement of 2026: registered for 2026, now expired.
    in_may = await review.http.get(f"{verify}&on=2027-05-20", headers=tokens.external())
    assert in_may.status_code == 200, in_may.text
    assert (in_may.json()["registered"], in_may.json()["status"], in_may.json()["as_of"]) == (
        True,
        "expired",
        "2027-05-20",
    )
    review.clock.set(on(date(2027, 1, 1)))
    verified = await review.http.get(verify, headers=tokens.external())
    assert (verified.json()["registered"], verified.json()["status"]) == (True, "expired")
    bad = await review.http.get(f"{verify}&on=2027-13-01", headers=tokens.external())
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["loc"] == ["query", "on"]


async def test_the_batch_exports_as_an_excel_workbook_without_contact_data(
    review: Review, tokens: Tokens
) -> None:
    case_ids = [await approved_case(review, tokens, n) for n in (78, 79)]
    batch = (
        await review.http.post(
            BATCHES, json={"year": 2026, "case_ids": case_ids}, headers=tokens.province()
        )
    ).json()
    response = await review.http.get(
        f"{BATCHES}/{batch['id']}/export.xlsx", headers=tokens.agency("150100")
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[1][2] == "统一社会信用代码 USCC"
    assert {r[2] for r in rows[2:]} == {uscc(78), uscc(79)}
    flat = str(rows)
    assert "张三" not in flat
    assert "example.cn" not in flat
    assert (
        await review.http.get(
            f"{BATCHES}/{batch['id']}/export.xlsx", headers=tokens.enterprise(uscc(78))
        )
    ).status_code == 403


async def test_a_batch_that_cannot_end_before_the_year_close_is_refused(
    review: Review, tokens: Tokens
) -> None:
    # contract § Round 2 "Year close": started on 25 Dec its publicity would end in January
    # (provisionally, 2027 has no published schedule) and its numbers would be issued
    # already expired. Refused, naming the latest start (ends 30 Dec, announced 31 Dec);
    # the provisional end itself is covered in tests/unit/test_working_days.py.
    case_id = await approved_case(review, tokens, 80)
    review.clock.advance(timedelta(days=1))
    for starts_on in ("2026-12-25", "2026-12-17"):  # the second ends exactly on the close
        refused = await review.http.post(
            BATCHES,
            json={"year": 2026, "case_ids": [case_id], "starts_on": starts_on},
            headers=tokens.province(),
        )
        assert refused.status_code == 409, refused.text
        error = refused.json()["error"]
        assert error["code"] == "publicity_past_year_close"
        assert "2026-12-16" in error["message"]
        assert "2026-12-16" in error["message_en"]
        assert error["details"][0]["loc"] == ["body", "starts_on"]
    accepted = await review.http.post(
        BATCHES,
        json={"year": 2026, "case_ids": [case_id], "starts_on": "2026-12-16"},
        headers=tokens.province(),
    )
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["ends_on"] == "2026-12-30"


async def _waiting_on_a_lock(review: Review) -> bool:
    async with review.runtime.db.sessions() as session:
        waiting = await session.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
        return bool(waiting.scalar_one())


async def test_an_objection_dismissed_while_the_batch_is_being_announced_still_registers(
    review: Review, tokens: Tokens
) -> None:
    province = tokens.province()
    case_id = await approved_case(review, tokens, 83)
    batch = (
        await review.http.post(
            BATCHES,
            json={"year": 2026, "case_ids": [case_id], "starts_on": "2026-05-06"},
            headers=province,
        )
    ).json()
    code = uscc(83)
    await review.deliver(
        CaseFiled(case_id="sv-83", kind="objection", uscc=code, batch_id=batch["id"])
    )
    principal = Principal(sub="province-user", role=Role.PROVINCE, org="150000")
    async with review.runtime.uow(principal.actor) as uow:
        _, registered, held = await publicity.announce(
            SqlReviewUnitOfWork(uow),
            principal,
            uuid.UUID(batch["id"]),
            policy=shipped_policy(2026),
            today=review.clock.today(),
            now=review.clock.now(),
        )
        assert (registered, held) == (0, 1)
        # The objection is not accepted while the announcement is not yet committed.
        dismissal = asyncio.create_task(
            review.deliver(
                CaseAccepted(
                    case_id="sv-83",
                    kind="objection",
                    uscc=code,
                    batch_id=batch["id"],
                    accepted=False,
                )
            )
        )
        deadline = asyncio.get_running_loop().time() + 10
        while not dismissal.done() and not await _waiting_on_a_lock(review):
            assert asyncio.get_running_loop().time() < deadline
            await asyncio.sleep(0.02)
    await dismissal
    case = (await review.http.get(f"/api/v1/review-cases/{case_id}", headers=province)).json()
    assert case["status"] == "registered"
    assert case["registration_number"] == "2026150105A0000001"


async def test_a_revocation_naming_an_unknown_or_another_enterprises_number_changes_nothing(
    review: Review, tokens: Tokens
) -> None:
    province = tokens.province()
    case_id = await approved_case(review, tokens, 84)
    batch = (
        await review.http.post(
            BATCHES,
            json={"year": 2026, "case_ids": [case_id], "starts_on": "2026-05-06"},
            headers=province,
        )
    ).json()
    await review.http.post(f"{BATCHES}/{batch['id']}/announce", headers=province)
    number = "2026150105A0000001"
    for named, enterprise in ((number, uscc(85)), ("2026150105A0009999", uscc(86))):
        await review.deliver(
            RevocationDecided(
                number=named, uscc=enterprise, year=2026, ground="serious_fraud", basis="x"
            )
        )
    verified = await review.http.get(
        f"/api/v1/registrations/verify?uscc={uscc(84)}&year=2026", headers=province
    )
    assert (verified.json()["number"], verified.json()["status"]) == (number, "valid")
    assert await review.emitted("cn.sme.registration.revoked.v1") == []


async def test_objection_events_out_of_order_never_hold_a_case_again(
    review: Review, tokens: Tokens
) -> None:
    province = tokens.province()
    case_id = await approved_case(review, tokens, 87)
    batch = (
        await review.http.post(
            BATCHES, json={"year": 2026, "case_ids": [case_id]}, headers=province
        )
    ).json()
    code = uscc(87)
    # Not accepted, then concluded: the second closing changes nothing.
    await review.deliver(
        CaseAccepted(
            case_id="sv-87", kind="objection", uscc=code, batch_id=batch["id"], accepted=False
        )
    )
    await review.deliver(
        CaseConcluded(
            case_id="sv-87",
            kind="objection",
            uscc=code,
            batch_id=batch["id"],
            finding="substantiated",
        )
    )
    # The filing, replayed late from the dead letters: the objection is closed already.
    await review.deliver(
        CaseFiled(case_id="sv-87", kind="objection", uscc=code, batch_id=batch["id"])
    )
    case = (await review.http.get(f"/api/v1/review-cases/{case_id}", headers=province)).json()
    assert case["status"] == "in_publicity"
    assert [d["decision"] for d in await review.emitted("cn.sme.review.decided.v1")] == ["approve"]
