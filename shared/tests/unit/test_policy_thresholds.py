"""Thresholds come from the policy: editing a copy of it changes the outcome, no code change."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.kernel.evaluation.engine import evaluate, scorer_for
from shared.kernel.evaluation.samples import sample_form
from shared.kernel.policy import Policy, policy_from_document, shipped_policy

POLICY = shipped_policy(2026)
ON = date(2026, 6, 1)
THIRTY_PERCENT = {"personnel": {"employees_total": 100, "st_personnel": 30}, "fast_track": []}


def edited(version: int, edit: Any) -> Policy:
    document = POLICY.to_document()
    edit(document)
    return policy_from_document({**document, "version": version})


def raise_top_personnel_band(document: dict[str, Any]) -> None:
    document["scoring"]["personnel_bands"][-1]["at_least"] = "0.35"


def test_moving_a_band_bound_in_a_new_version_changes_the_score() -> None:
    form = sample_form(THIRTY_PERCENT)
    assert evaluate(form, POLICY, ON).personnel.points == 20
    stricter = edited(POLICY.version + 1, raise_top_personnel_band)
    assert evaluate(form, stricter, ON).personnel.points == 16


def test_an_edited_copy_that_kept_its_version_is_not_scored_with_stale_tables() -> None:
    form = sample_form(THIRTY_PERCENT)
    scorer_for(POLICY)  # the shipped tables are cached under (2026, 1)
    same_version = edited(POLICY.version, raise_top_personnel_band)
    assert evaluate(form, same_version, ON).personnel.points == 16
    assert evaluate(form, POLICY, ON).personnel.points == 20


def test_the_compiled_scorer_is_reused_for_the_same_policy() -> None:
    assert scorer_for(POLICY) is scorer_for(POLICY)


def test_the_pass_score_comes_from_the_policy() -> None:
    def lower(document: dict[str, Any]) -> None:
        document["scoring"]["pass_score"] = 50

    utility_model = {
        "kind": "utility_model",
        "granted_on": "2023-01-01",
        "related_to_main_product": True,
        "disputed": False,
    }
    worked_example_at_54 = sample_form(
        {
            "personnel": {"employees_total": 100, "st_personnel": 22},
            "finance.sales_revenue": "10000000.00",
            "finance.cost_expense_total": "9000000.00",
            "finance.rd_expense_total": "450000.00",
            "ip": [{**utility_model, "number": "ZL1"}, {**utility_model, "number": "ZL2"}],
            "fast_track": [],
        }
    )
    assert evaluate(worked_example_at_54, POLICY, ON).total == 54
    assert not evaluate(worked_example_at_54, POLICY, ON).eligible
    assert evaluate(worked_example_at_54, edited(7, lower), ON).eligible


def test_size_limits_come_from_the_policy() -> None:
    def smaller(document: dict[str, Any]) -> None:
        document["eligibility"]["size_limits"]["employees_max"] = 40

    result = evaluate(sample_form({"fast_track": []}), edited(8, smaller), ON)
    assert not result.eligible
    assert result.reasons == ["职工总数48人，超过40人"]


def test_excluded_industries_come_from_the_policy() -> None:
    def exclude_software(document: dict[str, Any]) -> None:
        document["eligibility"]["excluded_industries"].append(
            {"code_prefix": "I65", "name": "软件和信息技术服务业", "name_en": "Software"}
        )

    result = evaluate(sample_form({"fast_track": []}), edited(9, exclude_software), ON)
    assert not result.eligible


def test_ip_classes_come_from_the_policy() -> None:
    def demote_invention_patents(document: dict[str, Any]) -> None:
        document["scoring"]["ip_classes"]["invention_patent"] = "class2"

    result = evaluate(sample_form({"fast_track": []}), edited(10, demote_invention_patents), ON)
    assert result.achievements.model_dump() == {"class1": 0, "class2": 1, "points": 6}


def test_the_personnel_requirement_can_be_switched_off() -> None:
    def no_personnel_requirement(document: dict[str, Any]) -> None:
        document["scoring"]["personnel_points_required"] = False

    form = sample_form({"personnel.st_personnel": 0, "fast_track": []})
    assert not evaluate(form, POLICY, ON).eligible
    assert evaluate(form, edited(11, no_personnel_requirement), ON).eligible
