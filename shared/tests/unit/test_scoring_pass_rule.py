"""Art. 7 pass rule (total ≥ 60 and personnel > 0), the worked example, the result shape."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shared.kernel.evaluation.engine import PolicyYearMismatch, evaluate
from shared.kernel.evaluation.result import SelfEvaluation
from shared.kernel.evaluation.samples import sample_form
from shared.kernel.policy import shipped_policy

POLICY = shipped_policy(2026)
ON = date(2026, 6, 1)


def utility_model(number: str) -> dict[str, Any]:
    return {
        "kind": "utility_model",
        "number": number,
        "granted_on": "2023-01-01",
        "valid_until": "2033-01-01",
        "related_to_main_product": True,
        "disputed": False,
    }


def worked_example(class2_items: int) -> SelfEvaluation:
    """domain.md §3: 22% staff, R&D/sales 4.5%, `class2_items` Class II items."""
    form = sample_form(
        {
            "personnel": {"employees_total": 100, "st_personnel": 22},
            "finance.sales_revenue": "10000000.00",
            "finance.cost_expense_total": "9000000.00",  # 5% of cost: scores 0
            "finance.rd_expense_total": "450000.00",
            "ip": [utility_model(f"ZL{i}") for i in range(class2_items)],
            "fast_track": [],
        }
    )
    return evaluate(form, POLICY, ON)


def score_condition(result: SelfEvaluation) -> Any:
    return next(c for c in result.conditions if c.code == "score_or_fast_track")


def test_worked_example_with_two_class2_items_scores_54_and_fails() -> None:
    result = worked_example(2)
    parts = (result.personnel.points, result.rd.points, result.achievements.points)
    assert parts == (12, 30, 12)
    assert result.total == 54
    assert not result.eligible
    assert not score_condition(result).passed
    assert result.reasons == [score_condition(result).message]
    assert "54" in result.reasons[0]


def test_worked_example_with_a_third_class2_item_scores_60_and_passes() -> None:
    result = worked_example(3)
    assert result.total == 60
    assert result.eligible
    assert score_condition(result).passed
    assert result.reasons == []


def test_sixty_points_without_personnel_points_fails() -> None:
    # 9% staff → 0; 6% R&D → 50; one Class I → 30: 80 points but no personnel score.
    form = sample_form(
        {
            "personnel": {"employees_total": 100, "st_personnel": 9},
            "finance.rd_expense_total": "900000.00",
            "fast_track": [],
        }
    )
    result = evaluate(form, POLICY, ON)
    assert result.total == 80
    assert not result.eligible
    assert "科技人员指标得分为0" in score_condition(result).message


def test_the_full_score_is_one_hundred() -> None:
    result = evaluate(sample_form({"fast_track": []}), POLICY, ON)
    assert result.total == 100
    assert result.eligible


def test_the_result_records_the_policy_version_and_evaluation_date() -> None:
    result = evaluate(sample_form(), POLICY, ON)
    assert (result.policy_version, result.evaluated_on) == (POLICY.version, ON)


def test_the_result_survives_a_json_round_trip_unchanged() -> None:
    # Review compares a received self-evaluation with its own recomputation.
    result = evaluate(sample_form(), POLICY, ON)
    assert SelfEvaluation.model_validate_json(result.model_dump_json()) == result


def test_the_result_has_the_contract_shape() -> None:
    document = evaluate(sample_form(), POLICY, ON).model_dump(mode="json")
    contract_keys = {
        "personnel",
        "rd",
        "achievements",
        "total",
        "fast_track",
        "conditions",
        "eligible",
        "reasons",
    }
    assert contract_keys <= document.keys()
    assert {"code", "passed", "message", "message_en"} <= document["conditions"][0].keys()


def test_every_condition_explains_itself_in_both_languages() -> None:
    result = evaluate(sample_form(), POLICY, date(2026, 11, 25))
    assert all(c.message and c.message_en for c in result.conditions)


def test_a_form_of_another_year_is_refused() -> None:
    with pytest.raises(PolicyYearMismatch):
        evaluate(sample_form({"year": 2025}), POLICY, ON)
