"""Art. 7(2): which R&D ratio is used — the enterprise's choice, the better one, or the only one."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shared.kernel.evaluation.engine import evaluate
from shared.kernel.evaluation.result import SelfEvaluation
from shared.kernel.evaluation.samples import sample_form
from shared.kernel.policy import shipped_policy

POLICY = shipped_policy(2026)
ON = date(2026, 6, 1)


def score(
    sales: str, cost: str, rd: str, choice: str | None = None, **extra: Any
) -> SelfEvaluation:
    changes = {
        "fast_track": [],
        "rd_ratio_choice": choice,
        "finance.sales_revenue": sales,
        "finance.cost_expense_total": cost,
        "finance.rd_expense_total": rd,
        **extra,
    }
    return evaluate(sample_form(changes), POLICY, ON)


def notices(result: SelfEvaluation) -> list[str]:
    return [c.code for c in result.conditions if c.group == "notice"]


def test_without_a_choice_the_better_ratio_is_used() -> None:
    # 3% of sales → 20; 25% of cost → 40.
    result = score("10000000.00", "1200000.00", "300000.00")
    assert (result.rd.chosen, result.rd.points) == ("cost", 40)


def test_a_tie_takes_the_sales_ratio() -> None:
    # 6% of sales → 50; 30% of cost → 50.
    result = score("10000000.00", "2000000.00", "600000.00")
    assert (result.rd.chosen, result.rd.points) == ("sales", 50)


@pytest.mark.parametrize(("choice", "points"), [("sales", 20), ("cost", 40)])
def test_the_enterprises_choice_is_honoured_even_when_worse(choice: str, points: int) -> None:
    result = score("10000000.00", "1200000.00", "300000.00", choice)
    assert (result.rd.chosen, result.rd.points) == (choice, points)
    assert notices(result) == []


def test_both_ratios_are_reported_whichever_is_chosen() -> None:
    result = score("15000000.00", "11000000.00", "1100000.00", "cost")
    assert result.model_dump(mode="json")["rd"] == {
        "ratio_sales": "0.0733",
        "ratio_cost": "0.1000",
        "chosen": "cost",
        "points": 10,
    }


def test_zero_sales_uses_only_the_cost_ratio() -> None:
    result = score("0.00", "1000000.00", "300000.00")
    assert result.rd.ratio_sales is None
    assert (result.rd.chosen, result.rd.points) == ("cost", 50)
    assert notices(result) == []


def test_zero_sales_overrides_a_sales_choice_and_explains_it() -> None:
    result = score("0.00", "1000000.00", "300000.00", "sales")
    assert (result.rd.chosen, result.rd.points) == ("cost", 50)
    (notice,) = [c for c in result.conditions if c.code == "rd_ratio_choice"]
    assert not notice.passed
    assert "销售收入为零" in notice.message
    assert "sales revenue is zero" in notice.message_en


def test_the_override_notice_does_not_make_the_form_ineligible() -> None:
    result = score("0.00", "1000000.00", "300000.00", "sales")
    assert result.eligible
    assert result.reasons == []


def test_zero_cost_gives_no_cost_ratio() -> None:
    result = score("10000000.00", "0.00", "600000.00")
    assert result.rd.ratio_cost is None
    assert (result.rd.chosen, result.rd.points) == ("sales", 50)


def test_zero_sales_and_zero_cost_score_nothing_and_say_why() -> None:
    result = score("0.00", "0.00", "600000.00")
    assert (result.rd.chosen, result.rd.points) == (None, 0)
    assert notices(result) == ["rd_ratio_choice"]


def test_no_rd_expense_scores_zero_on_both_ratios() -> None:
    result = score("10000000.00", "8000000.00", "0.00")
    assert result.rd.points == 0
    assert result.model_dump(mode="json")["rd"]["ratio_sales"] == "0.0000"
