"""domain.md §6: profiles that require an on-site check before approval."""

from __future__ import annotations

from typing import Any

import pytest

from shared.kernel.evaluation.onsite import ONSITE_TRIGGER_MESSAGES, onsite_triggers
from shared.kernel.evaluation.samples import sample_form
from shared.kernel.policy import Policy, policy_from_document, shipped_policy

POLICY = shipped_policy(2026)


def triggers(
    changes: dict[str, Any], first_time: bool = False, policy: Policy = POLICY
) -> list[str]:
    return onsite_triggers(sample_form(changes), policy, first_time)


def test_an_ordinary_returning_applicant_needs_no_onsite_check() -> None:
    assert triggers({}) == []


@pytest.mark.parametrize(("employees", "expected"), [(4, True), (5, True), (6, False)])
def test_five_employees_or_fewer_trigger(employees: int, expected: bool) -> None:
    matched = triggers({"personnel": {"employees_total": employees, "st_personnel": 1}})
    assert ("few_employees" in matched) is expected


def test_no_ip_at_all_triggers() -> None:
    assert triggers({"ip": []}) == ["no_ip"]


def test_any_ip_item_even_a_trademark_avoids_the_no_ip_trigger() -> None:
    trademark = {
        "kind": "trademark",
        "number": "TM1",
        "granted_on": "2020-01-01",
        "related_to_main_product": True,
        "disputed": False,
    }
    assert triggers({"ip": [trademark]}) == []


@pytest.mark.parametrize(("rd", "expected"), [("99999.99", True), ("100000.00", False)])
def test_rd_expense_below_one_hundred_thousand_triggers(rd: str, expected: bool) -> None:
    assert ("low_rd_expense" in triggers({"finance.rd_expense_total": rd})) is expected


@pytest.mark.parametrize(
    ("first_time", "with_claim", "expected"),
    [(True, True, True), (False, True, False), (True, False, False)],
)
def test_a_first_time_applicant_with_a_fast_track_claim_triggers(
    first_time: bool, with_claim: bool, expected: bool
) -> None:
    changes = {} if with_claim else {"fast_track": []}
    assert ("first_time_fast_track" in triggers(changes, first_time)) is expected


def test_several_triggers_are_listed_in_policy_order() -> None:
    changes = {
        "personnel": {"employees_total": 3, "st_personnel": 1},
        "ip": [],
        "finance.rd_expense_total": "5000.00",
    }
    assert triggers(changes, first_time=True) == [
        "few_employees",
        "no_ip",
        "low_rd_expense",
        "first_time_fast_track",
    ]


def test_a_disabled_trigger_never_fires() -> None:
    document = POLICY.to_document()
    document["onsite_triggers"]["no_ip"]["enabled"] = False
    assert triggers({"ip": []}, policy=policy_from_document(document)) == []


def test_thresholds_come_from_the_policy() -> None:
    document = POLICY.to_document()
    document["onsite_triggers"]["few_employees"]["max_employees"] = 50
    document["onsite_triggers"]["low_rd_expense"]["below"] = "2000000.00"
    assert triggers({}, policy=policy_from_document(document)) == [
        "few_employees",
        "low_rd_expense",
    ]


def test_every_trigger_code_has_a_message() -> None:
    assert set(ONSITE_TRIGGER_MESSAGES) == set(type(POLICY.onsite_triggers).model_fields)
