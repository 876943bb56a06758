"""Review cases through the HTTP API on a real database: routing, recomputed score,
warnings, on-site checks, decisions, resubmission, withdrawal, overdue, authorisation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from localdev.testing import Tokens
from shared.kernel.events.payloads.intake import ApplicationWithdrawn

from ..conftest import Review, approved_case, form_document, uscc

pytestmark = pytest.mark.integration

HOHHOT = "150100"


async def test_a_submission_opens_a_case_at_the_routed_agency(
    review: Review, tokens: Tokens
) -> None:
    app_id = await review.submit(form_document(1, region="150781"))
    case = await review.case_of(app_id, tokens.agency("150781"))
    assert case["agency"] == "150781"  # 满洲里, not 呼伦贝尔
    assert case["status"] == "pending"
    assert case["uscc"] == uscc(1, "150781")
    assert case["score"]["total"] == 100  # recomputed here: 20 + 50 + 30
    assert case["warnings"] == []
    assert case["due_on"] == "2026-07-14"  # 20 working days; 端午 19 June is off
    assert case["overdue"] is False
    [opened] = await review.emitted("cn.sme.review.opened.v1")
    assert opened["case_id"] == case["id"]
    assert opened["application_id"] == app_id


async def test_an_agency_cannot_see_or_decide_another_agencys_case(
    review: Review, tokens: Tokens
) -> None:
    app_id = await review.submit(form_document(2))
    case = await review.case_of(app_id, tokens.agency(HOHHOT))
    other = tokens.agency("150200")
    assert (
        await review.http.get(f"/api/v1/review-cases/{case['id']}", headers=other)
    ).status_code == 404
    decided = await review.http.post(
        f"/api/v1/review-cases/{case['id']}/decision", json={"decision": "approve"}, headers=other
    )
    assert decided.status_code == 404
    listed = await review.http.get("/api/v1/review-cases", headers=other)
    assert listed.json()["items"] == []


async def test_roles_outside_review_are_refused(review: Review, tokens: Tokens) -> None:
    app_id = await review.submit(form_document(3))
    case = await review.case_of(app_id, tokens.province())
    path = f"/api/v1/review-cases/{case['id']}"
    assert (await review.http.get(path)).status_code == 401
    enterprise = tokens.enterprise(uscc(3))
    assert (await review.http.get(path, headers=enterprise)).status_code == 403
    assert (await review.http.get("/api/v1/review-cases", headers=enterprise)).status_code == 403
    decision = {"decision": "approve"}
    for headers in (enterprise, tokens.province()):  # the province reads, it does not decide
        response = await review.http.post(f"{path}/decision", json=decision, headers=headers)
        assert response.status_code == 403
        assert response.json()["error"]["message_en"]
    assert (await review.http.get(path, headers=tokens.province())).status_code == 200


async def test_a_warn_needs_a_note_then_approval_emits_the_decision(
    review: Review, tokens: Tokens
) -> None:
    doc = form_document(
        4, {"finance.rd_expense_total": "1100000.00", "finance.cost_expense_total": "1000000.00"}
    )
    app_id = await review.submit(doc)
    agency = tokens.agency(HOHHOT)
    case = await review.case_of(app_id, agency)
    [warning] = case["warnings"]
    assert warning["code"] == "rd_exceeds_cost"
    assert warning["severity"] == "warn"
    assert warning["message"]
    assert warning["message_en"]
    assert warning["resolved"] is False

    path = f"/api/v1/review-cases/{case['id']}/decision"
    refused = await review.http.post(path, json={"decision": "approve"}, headers=agency)
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["loc"] == ["body", "notes", "rd_exceeds_cost"]

    approved = await review.http.post(
        path,
        json={"decision": "approve", "notes": {"rd_exceeds_cost": "已核对审计报告"}},
        headers=agency,
    )
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert body["status"] == "approved"
    assert body["warnings"][0]["resolved"] is True
    assert body["warnings"][0]["note"] == "已核对审计报告"
    assert [h["action"] for h in body["history"]] == ["submitted", "decision_approve"]
    [decided] = await review.emitted("cn.sme.review.decided.v1")
    assert (decided["decision"], decided["application_id"]) == ("approve", app_id)
    assert decided["_key"] == doc["enterprise"]["uscc"]

    again = await review.http.post(path, json={"decision": "reject", "reason": "x"}, headers=agency)
    assert again.status_code == 409


async def test_unknown_fields_and_bad_decisions_are_refused_with_their_path(
    review: Review, tokens: Tokens
) -> None:
    app_id = await review.submit(form_document(5))
    agency = tokens.agency(HOHHOT)
    case = await review.case_of(app_id, agency)
    path = f"/api/v1/review-cases/{case['id']}/decision"
    unknown = await review.http.post(
        path, json={"decision": "approve", "comment": "x"}, headers=agency
    )
    assert unknown.status_code == 422
    assert unknown.json()["error"]["details"][0]["loc"] == ["body", "comment"]
    no_reason = await review.http.post(path, json={"decision": "reject"}, headers=agency)
    assert no_reason.status_code == 422
    assert no_reason.json()["error"]["details"][0]["loc"] == ["body", "reason"]
    bad = await review.http.post(path, json={"decision": "maybe"}, headers=agency)
    assert bad.status_code == 422
    not_a_case = await review.http.get("/api/v1/review-cases/not-a-uuid", headers=agency)
    assert not_a_case.status_code == 422


async def test_a_self_evaluation_that_disagrees_blocks_until_corrected_and_resubmitted(
    review: Review, tokens: Tokens
) -> None:
    doc = form_document(6)  # recomputed: 100 points
    app_id = await review.submit(doc, claimed={"total": 90})
    agency = tokens.agency(HOHHOT)
    case = await review.case_of(app_id, agency)
    assert [(w["code"], w["severity"]) for w in case["warnings"]] == [
        ("self_evaluation_mismatch", "block")
    ]
    path = f"/api/v1/review-cases/{case['id']}/decision"
    blocked = await review.http.post(
        path, json={"decision": "approve", "notes": "x"}, headers=agency
    )
    assert blocked.status_code == 409
    assert blocked.json()["error"]["code"] == "blocking_warnings_open"

    returned = await review.http.post(
        path, json={"decision": "return", "reason": "自评分数有误"}, headers=agency
    )
    assert returned.json()["status"] == "returned"

    # The enterprise corrects and resubmits: the same case continues in round 2.
    review.clock.advance(timedelta(days=3))
    await review.submit(doc, application_id=app_id, round=2)
    again = await review.case_of(app_id, agency)
    assert again["id"] == case["id"]
    assert again["round"] == 2
    assert again["status"] == "pending"
    assert again["warnings"][0]["resolved"] is True
    assert again["warnings"][0]["resolution"] == "cleared"
    approved = await review.http.post(path, json={"decision": "approve"}, headers=agency)
    assert approved.json()["status"] == "approved", approved.text
    decisions = await review.emitted("cn.sme.review.decided.v1")
    assert [(d["decision"], d["round"]) for d in decisions] == [("return", 1), ("approve", 2)]
    opened = await review.emitted("cn.sme.review.opened.v1")
    assert [o["round"] for o in opened] == [1, 2]


async def test_a_resubmission_with_a_corrected_region_moves_the_case_to_its_agency(
    review: Review, tokens: Tokens
) -> None:
    # intake routes a returned application anew on every edit; the case must follow, or the
    # agency intake shows it to would not find it here.
    doc = form_document(19)
    app_id = await review.submit(doc)
    hohhot = tokens.agency(HOHHOT)
    case = await review.case_of(app_id, hohhot)
    returned = await review.http.post(
        f"/api/v1/review-cases/{case['id']}/decision",
        json={"decision": "return", "reason": "注册地址有误"},
        headers=hohhot,
    )
    assert returned.status_code == 200, returned.text
    moved = {**doc, "enterprise": {**doc["enterprise"], "region_code": "150203"}}
    await review.submit(moved, application_id=app_id, round=2)
    again = await review.case_of(app_id, tokens.agency("150200"))
    assert (again["id"], again["round"], again["region_code"]) == (case["id"], 2, "150203")
    assert (
        await review.http.get(f"/api/v1/review-cases/{case['id']}", headers=hohhot)
    ).status_code == 404
    [_, reopened] = await review.emitted("cn.sme.review.opened.v1")
    assert reopened["agency"] == "150200"


async def test_a_redelivered_submission_changes_nothing(review: Review, tokens: Tokens) -> None:
    doc = form_document(7)
    app_id = await review.submit(doc)
    await review.submit(doc, application_id=app_id)
    response = await review.http.get("/api/v1/review-cases", headers=tokens.province())
    assert [c["application_id"] for c in response.json()["items"]].count(app_id) == 1
    assert len(await review.emitted("cn.sme.review.opened.v1")) == 1


async def test_an_onsite_check_is_required_before_approval(review: Review, tokens: Tokens) -> None:
    doc = form_document(8, {"personnel.employees_total": 5, "personnel.st_personnel": 2})
    app_id = await review.submit(doc)
    agency = tokens.agency(HOHHOT)
    case = await review.case_of(app_id, agency)
    assert case["status"] == "onsite_required"
    assert [t["code"] for t in case["onsite"]["triggers"]] == ["few_employees"]
    base = f"/api/v1/review-cases/{case['id']}"
    refused = await review.http.post(
        f"{base}/decision", json={"decision": "approve"}, headers=agency
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "onsite_check_missing"
    checked = await review.http.post(
        f"{base}/onsite-check", json={"result": "passed", "notes": "现场核实"}, headers=agency
    )
    assert checked.status_code == 200, checked.text
    assert checked.json()["status"] == "pending"
    assert checked.json()["onsite"]["result"] == "passed"
    approved = await review.http.post(
        f"{base}/decision", json={"decision": "approve"}, headers=agency
    )
    assert approved.json()["status"] == "approved"


async def test_no_onsite_check_on_a_case_without_triggers(review: Review, tokens: Tokens) -> None:
    app_id = await review.submit(form_document(9))
    agency = tokens.agency(HOHHOT)
    case = await review.case_of(app_id, agency)
    response = await review.http.post(
        f"/api/v1/review-cases/{case['id']}/onsite-check", json={"result": "passed"}, headers=agency
    )
    assert response.status_code == 409


async def test_a_withdrawal_closes_the_case(review: Review, tokens: Tokens) -> None:
    doc = form_document(10)
    app_id = await review.submit(doc)
    await review.deliver(
        ApplicationWithdrawn(application_id=app_id, year=2026, uscc=doc["enterprise"]["uscc"])
    )
    agency = tokens.agency(HOHHOT)
    case = await review.case_of(app_id, agency)
    assert case["status"] == "withdrawn"
    decided = await review.http.post(
        f"/api/v1/review-cases/{case['id']}/decision", json={"decision": "approve"}, headers=agency
    )
    assert decided.status_code == 409


async def test_a_withdrawal_that_crossed_the_approval_still_closes_the_case(
    review: Review, tokens: Tokens
) -> None:
    # intake accepted the withdrawal while review's approval was on its way (intake then
    # ignores the approval): the case must not go on to publicity and registration.
    case_id = await approved_case(review, tokens, 18)
    province = tokens.province()
    case = (await review.http.get(f"/api/v1/review-cases/{case_id}", headers=province)).json()
    await review.deliver(
        ApplicationWithdrawn(application_id=case["application_id"], year=2026, uscc=uscc(18))
    )
    closed = (await review.http.get(f"/api/v1/review-cases/{case_id}", headers=province)).json()
    assert closed["status"] == "withdrawn"
    assert closed["history"][-1]["action"] == "withdrawn"
    batch = await review.http.post(
        "/api/v1/publicity-batches", json={"year": 2026, "case_ids": [case_id]}, headers=province
    )
    assert batch.status_code == 409
    assert batch.json()["error"]["code"] == "cases_not_approved"


async def test_a_case_past_its_deadline_is_overdue_and_can_be_filtered(
    review: Review, tokens: Tokens
) -> None:
    late = await review.submit(form_document(11))
    review.clock.advance(timedelta(days=10))
    fresh = await review.submit(form_document(12))
    province = tokens.province()
    review.clock.advance(timedelta(days=20))  # 15 June + 30 days: past 14 July
    case = await review.case_of(late, province)
    assert case["overdue"] is True
    assert (await review.case_of(fresh, province))["overdue"] is False
    overdue = await review.http.get("/api/v1/review-cases?overdue=true", headers=province)
    assert [c["application_id"] for c in overdue.json()["items"]] == [late]
    on_time = await review.http.get("/api/v1/review-cases?overdue=false", headers=province)
    assert [c["application_id"] for c in on_time.json()["items"]] == [fresh]


async def test_lists_are_paginated_and_filtered(review: Review, tokens: Tokens) -> None:
    for n in range(13, 18):
        await review.submit(form_document(n))
    province = tokens.province()
    first = await review.http.get("/api/v1/review-cases?limit=2", headers=province)
    body = first.json()
    assert len(body["items"]) == 2
    assert body["next_cursor"]
    second = await review.http.get(
        f"/api/v1/review-cases?limit=2&cursor={body['next_cursor']}", headers=province
    )
    assert {c["id"] for c in second.json()["items"]}.isdisjoint({c["id"] for c in body["items"]})
    assert (
        await review.http.get("/api/v1/review-cases?status=nonsense", headers=province)
    ).status_code == 422
    by_agency = await review.http.get("/api/v1/review-cases?agency=150200", headers=province)
    assert by_agency.json()["items"] == []
