"""Applications through the HTTP API on a real database: create, edit, submit, withdraw."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from localdev.testing import Tokens
from shared.kernel.calendar.clock import FixedClock

pytestmark = pytest.mark.integration

SUBMITTED = "cn.sme.application.submitted.v1"
WITHDRAWN = "cn.sme.application.withdrawn.v1"

# domain.md §3 worked example: 22% staff (12) + R&D/sales 4.5% (30) + two Class II (12) = 54.
WORKED_EXAMPLE = {
    "personnel": {"employees_total": 100, "st_personnel": 22},
    "finance": {
        "sales_revenue": "10000000.00",
        "total_assets": "8000000.00",
        "cost_expense_total": "9000000.00",
        "rd_expense_total": "450000.00",
    },
    "fast_track": [],
}


def _class2(n: int) -> list[dict[str, Any]]:
    return [
        {
            "kind": "utility_model",
            "number": f"ZL20232000000{i}.X",
            "granted_on": "2023-05-01",
            "valid_until": "2033-05-01",
            "related_to_main_product": True,
            "disputed": False,
        }
        for i in range(n)
    ]


# -- create -----------------------------------------------------------------------------------


async def test_enterprise_creates_a_draft_with_its_self_evaluation(
    client: httpx.AsyncClient, tokens: Tokens, form_of: Callable[..., dict[str, Any]]
) -> None:
    form = form_of(1)
    created = await client.post(
        "/api/v1/applications", json=form, headers=tokens.enterprise(form["enterprise"]["uscc"])
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "draft"
    assert body["agency"] == "150100"
    assert body["editable"] is True
    assert body["round"] == 0
    assert body["policy_version"] == 1
    assert body["registration_number"] is None
    assert body["self_evaluation"]["total"] == 100
    assert body["self_evaluation"]["eligible"] is True
    assert body["form"]["finance"]["sales_revenue"] == "15000000.00"
    assert [t["status"] for t in body["timeline"]] == ["draft"]


async def test_a_second_live_application_for_the_same_year_is_refused(filing: Any) -> None:
    first = await filing.create(2)
    second = await filing.client.post(
        "/api/v1/applications", json=filing.form_of(2), headers=filing.as_enterprise(2)
    )
    assert second.status_code == 409
    error = second.json()["error"]
    assert error["code"] == "application_exists"
    assert first["id"] in error["message_en"]


async def test_concurrent_creates_leave_one_application_and_a_conflict(filing: Any) -> None:
    responses = await asyncio.gather(
        *(
            filing.client.post(
                "/api/v1/applications", json=filing.form_of(9), headers=filing.as_enterprise(9)
            )
            for _ in range(4)
        )
    )
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409]
    listed = await filing.client.get("/api/v1/applications", headers=filing.as_enterprise(9))
    assert len(listed.json()["items"]) == 1


async def test_after_withdrawing_a_new_application_may_be_created(filing: Any) -> None:
    first = await filing.create(3)
    withdrawn = await filing.client.post(
        f"/api/v1/applications/{first['id']}/withdraw", headers=filing.as_enterprise(3)
    )
    assert withdrawn.status_code == 200
    again = await filing.client.post(
        "/api/v1/applications", json=filing.form_of(3), headers=filing.as_enterprise(3)
    )
    assert again.status_code == 201, again.text


async def test_form_for_another_enterprise_is_forbidden(
    client: httpx.AsyncClient, tokens: Tokens, form_of: Callable[..., dict[str, Any]], uscc_of: Any
) -> None:
    response = await client.post(
        "/api/v1/applications", json=form_of(4), headers=tokens.enterprise(uscc_of(5))
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_your_enterprise"


async def test_a_year_without_policy_is_refused_with_its_field(filing: Any) -> None:
    response = await filing.client.post(
        "/api/v1/applications",
        json=filing.form_of(6, {"year": 2030}),
        headers=filing.as_enterprise(6),
    )
    assert response.status_code == 422
    [detail] = response.json()["error"]["details"]
    assert detail["loc"] == ["body", "year"]


@pytest.mark.parametrize(
    ("changes", "loc"),
    [
        ({"personnel.interns": 3}, ["body", "personnel", "interns"]),
        ({"personnel.st_personnel": 49}, ["body", "personnel", "st_personnel"]),
        ({"finance.sales_revenue": "-1.00"}, ["body", "finance", "sales_revenue"]),
        ({"finance.total_assets": "12.345"}, ["body", "finance", "total_assets"]),
        ({"finance.rd_expense_total": "abc"}, ["body", "finance", "rd_expense_total"]),
        ({"enterprise.region_code": "110105"}, ["body", "enterprise", "region_code"]),
        ({"enterprise.high_tech_zone": "htz-nowhere"}, ["body", "enterprise", "high_tech_zone"]),
        ({"enterprise.high_tech_zone": "htz-baotou"}, ["body", "enterprise", "high_tech_zone"]),
        ({"enterprise.tax_collection": "flat"}, ["body", "enterprise", "tax_collection"]),
        ({"enterprise.established_on": "2026-01-05"}, ["body", "enterprise", "established_on"]),
        ({"enterprise.uscc": "91150105MA0Q4XXXX"}, ["body", "enterprise", "uscc"]),
        ({"ip.0.kind": "poem"}, ["body", "ip", 0, "kind"]),
        ({"rd_ratio_choice": "best"}, ["body", "rd_ratio_choice"]),
    ],
)
async def test_invalid_form_is_refused_with_the_field_path_in_two_languages(
    client: httpx.AsyncClient,
    tokens: Tokens,
    form_of: Callable[..., dict[str, Any]],
    uscc_of: Any,
    changes: dict[str, Any],
    loc: list[Any],
) -> None:
    response = await client.post(
        "/api/v1/applications", json=form_of(7, changes), headers=tokens.enterprise(uscc_of(7))
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["message"]
    assert error["message_en"]
    assert loc in [d["loc"] for d in error["details"]]
    detail = next(d for d in error["details"] if d["loc"] == loc)
    assert detail["msg"]
    assert detail["msg_en"]


async def test_a_body_that_is_not_json_is_a_422_not_a_500(filing: Any) -> None:
    response = await filing.client.post(
        "/api/v1/applications",
        content=b"{not json",
        headers={**filing.as_enterprise(8), "content-type": "application/json"},
    )
    assert response.status_code == 422


# -- edit -------------------------------------------------------------------------------------


async def test_a_draft_form_is_replaced_and_rescored(filing: Any) -> None:
    draft = await filing.create(10)
    changed = filing.form_of(10, {**WORKED_EXAMPLE, "ip": _class2(2)})
    response = await filing.client.put(
        f"/api/v1/applications/{draft['id']}", json=changed, headers=filing.as_enterprise(10)
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["form"]["personnel"] == {"employees_total": 100, "st_personnel": 22}
    assert body["self_evaluation"]["total"] == 54
    assert body["self_evaluation"]["eligible"] is False
    assert body["status"] == "draft"


async def test_editing_a_draft_routes_it_to_its_new_agency(filing: Any) -> None:
    draft = await filing.create(11)
    moved = filing.form_of(11, {"enterprise.region_code": "150205"})
    response = await filing.client.put(
        f"/api/v1/applications/{draft['id']}", json=moved, headers=filing.as_enterprise(11)
    )
    assert response.json()["agency"] == "150200"


async def test_an_edit_may_not_change_year_or_enterprise(filing: Any, uscc_of: Any) -> None:
    draft = await filing.create(12)
    other = filing.form_of(12, {"year": 2025, "enterprise.uscc": uscc_of(13)})
    response = await filing.client.put(
        f"/api/v1/applications/{draft['id']}", json=other, headers=filing.as_enterprise(12)
    )
    assert response.status_code == 422
    locs = [d["loc"] for d in response.json()["error"]["details"]]
    assert locs == [["body", "year"], ["body", "enterprise", "uscc"]]


async def test_a_submitted_application_cannot_be_edited(filing: Any) -> None:
    submitted = await filing.submitted(14)
    response = await filing.client.put(
        f"/api/v1/applications/{submitted['id']}",
        json=filing.form_of(14),
        headers=filing.as_enterprise(14),
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "application_not_editable"


async def test_another_enterprise_cannot_edit_the_application(filing: Any) -> None:
    draft = await filing.create(15)
    response = await filing.client.put(
        f"/api/v1/applications/{draft['id']}",
        json=filing.form_of(16),
        headers=filing.as_enterprise(16),
    )
    assert response.status_code == 404


# -- submit -----------------------------------------------------------------------------------


async def test_submission_emits_the_event_with_form_score_round_and_policy_version(
    filing: Any, emitted: Any
) -> None:
    submitted = await filing.submitted(20)
    assert submitted["status"] == "submitted"
    assert submitted["round"] == 1
    assert submitted["editable"] is False
    assert submitted["submitted_at"] is not None
    assert [t["status"] for t in submitted["timeline"]] == ["draft", "submitted"]
    [event] = await emitted.envelopes(SUBMITTED)
    assert event["_key"] == submitted["uscc"]
    assert event["subject"] == submitted["uscc"]
    data = event["data"]
    assert data["application_id"] == submitted["id"]
    assert data["round"] == 1
    assert data["policy_version"] == 1
    assert data["self_evaluation"]["total"] == 100
    assert data["form"] == submitted["form"]


async def test_the_worked_example_at_54_is_refused_listing_the_failed_condition(
    filing: Any, emitted: Any
) -> None:
    draft = await filing.create(21, {**WORKED_EXAMPLE, "ip": _class2(2)})
    response = await filing.client.post(
        f"/api/v1/applications/{draft['id']}/submit", headers=filing.as_enterprise(21)
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "not_eligible"
    codes = [d["loc"] for d in error["details"]]
    assert ["conditions", "score_or_fast_track"] in codes
    assert all(d["msg"] and d["msg_en"] for d in error["details"])
    assert (await filing.read(draft, 21))["status"] == "draft"
    assert await emitted.envelopes(SUBMITTED) == []


async def test_the_worked_example_at_60_is_submitted(filing: Any) -> None:
    submitted = await filing.submitted(22, {**WORKED_EXAMPLE, "ip": _class2(3)})
    assert submitted["self_evaluation"]["total"] == 60
    assert submitted["status"] == "submitted"


async def test_each_failed_basic_condition_is_listed(filing: Any) -> None:
    draft = await filing.create(
        23,
        {
            "enterprise.tax_collection": "deemed",
            "enterprise.industry_code": "F5123",
            "declarations.not_on_credit_lists": False,
        },
    )
    response = await filing.client.post(
        f"/api/v1/applications/{draft['id']}/submit", headers=filing.as_enterprise(23)
    )
    assert response.status_code == 422
    codes = {d["type"] for d in response.json()["error"]["details"]}
    assert codes == {
        "tax_collection_audit",
        "industry_not_excluded",
        "declaration_not_on_credit_lists",
    }


# Explanations that never decide eligibility (shared.kernel.evaluation.result): the notices (a
# chosen R&D ratio that could not be used, IP not counted) and a fast-track claim that fails
# while the score passes on its own.
EXPLAINED_ONLY = {
    "rd_ratio_choice": "sales",
    "finance.sales_revenue": "0.00",  # → scored on the cost ratio, 10% = 10 points; notice
    "ip": [
        {
            "kind": "invention_patent",
            "number": "ZL202110000001.1",
            "granted_on": "2022-08-09",
            "valid_until": "2041-03-01",
            "related_to_main_product": True,
            "disputed": False,
        },
        {  # expired: not counted; notice
            "kind": "utility_model",
            "number": "ZL201520000001.X",
            "granted_on": "2015-05-01",
            "valid_until": "2025-05-01",
            "related_to_main_product": True,
            "disputed": False,
        },
    ],
    "fast_track.0.valid_until": "2025-11-19",  # expired certificate: the claim fails
}


async def test_explanations_do_not_block_a_submission_whose_score_passes(filing: Any) -> None:
    draft = await filing.create(35, EXPLAINED_ONLY)
    evaluation = draft["self_evaluation"]
    assert evaluation["total"] == 60  # 20 personnel + 10 R&D (cost) + 30 achievements
    assert evaluation["fast_track"]["qualified"] is False
    failed = {c["code"]: c["group"] for c in evaluation["conditions"] if not c["passed"]}
    assert failed == {
        "fast_track_high_tech_certificate": "fast_track",
        "rd_ratio_choice": "notice",
        "ip_not_counted": "notice",
    }
    assert evaluation["eligible"] is True
    assert evaluation["reasons"] == []
    submitted = await filing.submit(draft, 35)
    assert submitted["status"] == "submitted"


async def test_the_refusal_lists_only_the_conditions_that_decide_ineligibility(
    filing: Any,
) -> None:
    draft = await filing.create(36, {**EXPLAINED_ONLY, "enterprise.tax_collection": "deemed"})
    response = await filing.client.post(
        f"/api/v1/applications/{draft['id']}/submit", headers=filing.as_enterprise(36)
    )
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert [(d["loc"], d["type"]) for d in details] == [
        (["conditions", "tax_collection_audit"], "tax_collection_audit")
    ]
    assert [d["msg"] for d in details] == draft["self_evaluation"]["reasons"]


async def test_when_the_score_fails_the_failed_fast_track_claims_explain_why(
    filing: Any,
) -> None:
    changes = {**EXPLAINED_ONLY, "personnel.st_personnel": 4}  # personnel 0 points: fails
    draft = await filing.create(37, changes)
    response = await filing.client.post(
        f"/api/v1/applications/{draft['id']}/submit", headers=filing.as_enterprise(37)
    )
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert [d["type"] for d in details] == [
        "score_or_fast_track",
        "fast_track_high_tech_certificate",
    ]
    assert [d["msg"] for d in details] == draft["self_evaluation"]["reasons"]


async def test_submission_outside_the_window_is_a_conflict(
    filing: Any, clock: FixedClock, emitted: Any
) -> None:
    draft = await filing.create(24)
    clock.set(datetime(2026, 2, 20, 2, 0, tzinfo=UTC))  # before the 2026 window opens
    response = await filing.client.post(
        f"/api/v1/applications/{draft['id']}/submit", headers=filing.as_enterprise(24)
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "outside_window"
    assert await emitted.envelopes(SUBMITTED) == []


async def test_the_window_is_judged_on_the_date_in_china(filing: Any, clock: FixedClock) -> None:
    draft = await filing.create(25)
    await filing.upload_evidence(draft, 25)
    # 2026-02-28 17:00 UTC is already 2026-03-01 01:00 in Beijing: the window's first day.
    clock.set(datetime(2026, 2, 28, 17, 0, tzinfo=UTC))
    response = await filing.client.post(
        f"/api/v1/applications/{draft['id']}/submit", headers=filing.as_enterprise(25)
    )
    assert response.status_code == 200, response.text


async def test_submitting_twice_is_a_conflict(filing: Any) -> None:
    submitted = await filing.submitted(26)
    again = await filing.client.post(
        f"/api/v1/applications/{submitted['id']}/submit", headers=filing.as_enterprise(26)
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "application_not_submittable"


async def test_another_enterprise_cannot_submit_the_application(filing: Any) -> None:
    draft = await filing.create(27)
    response = await filing.client.post(
        f"/api/v1/applications/{draft['id']}/submit", headers=filing.as_enterprise(28)
    )
    assert response.status_code == 404


# -- withdraw ---------------------------------------------------------------------------------


async def test_withdrawing_a_draft_emits_nothing(filing: Any, emitted: Any) -> None:
    draft = await filing.create(30)
    response = await filing.client.post(
        f"/api/v1/applications/{draft['id']}/withdraw",
        json={"reason": "填错年度"},
        headers=filing.as_enterprise(30),
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "withdrawn"
    assert body["timeline"][-1] == {
        "at": body["timeline"][-1]["at"],
        "status": "withdrawn",
        "reason": "填错年度",
    }
    assert await emitted.envelopes(WITHDRAWN) == []


async def test_withdrawing_a_submitted_application_tells_review(filing: Any, emitted: Any) -> None:
    submitted = await filing.submitted(31)
    response = await filing.client.post(
        f"/api/v1/applications/{submitted['id']}/withdraw", headers=filing.as_enterprise(31)
    )
    assert response.status_code == 200
    [event] = await emitted.envelopes(WITHDRAWN)
    assert event["data"] == {
        "application_id": submitted["id"],
        "year": 2026,
        "uscc": submitted["uscc"],
    }


async def test_withdrawing_twice_is_a_conflict(filing: Any) -> None:
    draft = await filing.create(32)
    url = f"/api/v1/applications/{draft['id']}/withdraw"
    assert (await filing.client.post(url, headers=filing.as_enterprise(32))).status_code == 200
    again = await filing.client.post(url, headers=filing.as_enterprise(32))
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "application_not_withdrawable"


async def test_a_withdrawal_reason_with_a_nul_character_is_a_422_not_a_500(filing: Any) -> None:
    draft = await filing.create(38)
    response = await filing.client.post(
        f"/api/v1/applications/{draft['id']}/withdraw",
        json={"reason": "填错\u0000年度"},
        headers=filing.as_enterprise(38),
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["loc"] == ["body", "reason"]
    assert (await filing.read(draft, 38))["status"] == "draft"


async def test_withdraw_refuses_unknown_body_fields(filing: Any) -> None:
    draft = await filing.create(33)
    response = await filing.client.post(
        f"/api/v1/applications/{draft['id']}/withdraw",
        json={"why": "x"},
        headers=filing.as_enterprise(33),
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"] == ["body", "why"]


# -- every write is audited ----------------------------------------------------------------------


async def test_create_edit_submit_and_withdraw_are_audited_with_the_actor(
    filing: Any, audit: Any
) -> None:
    draft = await filing.create(34)
    await filing.client.put(
        f"/api/v1/applications/{draft['id']}",
        json=filing.form_of(34, {"personnel.employees_total": 50}),
        headers=filing.as_enterprise(34),
    )
    await filing.submit(draft, 34)
    await filing.client.post(
        f"/api/v1/applications/{draft['id']}/withdraw", headers=filing.as_enterprise(34)
    )
    for action in ("application.create", "application.edit", "application.submit"):
        [record] = await audit.records(action)
        assert record["entity_id"] == draft["id"]
        assert record["actor_role"] == "enterprise"
        assert record["actor_org"] == draft["uscc"]
    [withdrawal] = await audit.records("application.withdraw")
    assert withdrawal["before"] == {"status": "submitted"}
    assert withdrawal["after"]["status"] == "withdrawn"
