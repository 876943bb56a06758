"""Implausible figures: R&D above total cost; R&D at least all of sales (domain.md §6)."""

from __future__ import annotations

from review.domain.warnings.figures import rd_exceeds_cost, rd_share_of_sales
from shared.kernel.policy.model import Policy

from .conftest import ContextFactory, with_warning_rule


def test_rd_above_total_cost_warns(context: ContextFactory, policy: Policy) -> None:
    ctx = context(
        {"finance.rd_expense_total": "1100000.00", "finance.cost_expense_total": "1000000.00"}
    )
    [warning] = rd_exceeds_cost(ctx, policy.warnings)
    assert (warning.code, warning.severity) == ("rd_exceeds_cost", "warn")
    assert "1100000.00" in warning.message
    assert "exceeds" in warning.message_en
    assert warning.data == {"rd_expense_total": "1100000.00", "cost_expense_total": "1000000.00"}


def test_rd_equal_to_total_cost_is_plausible(context: ContextFactory, policy: Policy) -> None:
    ctx = context(
        {"finance.rd_expense_total": "1000000.00", "finance.cost_expense_total": "1000000.00"}
    )
    assert rd_exceeds_cost(ctx, policy.warnings) == []


def test_a_switched_off_rule_stays_silent(context: ContextFactory, policy: Policy) -> None:
    off = with_warning_rule(policy, "rd_exceeds_cost", enabled=False)
    ctx = context(
        {"finance.rd_expense_total": "1100000.00", "finance.cost_expense_total": "1000000.00"}
    )
    assert rd_exceeds_cost(ctx, off.warnings) == []


def test_severity_comes_from_the_policy(context: ContextFactory, policy: Policy) -> None:
    stricter = with_warning_rule(policy, "rd_exceeds_cost", severity="block")
    ctx = context(
        {"finance.rd_expense_total": "1100000.00", "finance.cost_expense_total": "1000000.00"}
    )
    assert rd_exceeds_cost(ctx, stricter.warnings)[0].severity == "block"


def test_rd_equal_to_sales_warns(context: ContextFactory, policy: Policy) -> None:
    ctx = context(
        {
            "finance.sales_revenue": "1000000.00",
            "finance.rd_expense_total": "1000000.00",
            "finance.cost_expense_total": "5000000.00",
        }
    )
    [warning] = rd_share_of_sales(ctx, policy.warnings)
    assert warning.code == "rd_share_of_sales"
    assert warning.data["ratio"] == "1.00"


def test_rd_just_below_sales_is_plausible(context: ContextFactory, policy: Policy) -> None:
    ctx = context(
        {
            "finance.sales_revenue": "1000000.00",
            "finance.rd_expense_total": "999999.99",
            "finance.cost_expense_total": "5000000.00",
        }
    )
    assert rd_share_of_sales(ctx, policy.warnings) == []


def test_no_sales_and_no_rd_is_not_a_warning(context: ContextFactory, policy: Policy) -> None:
    ctx = context({"finance.sales_revenue": "0.00", "finance.rd_expense_total": "0.00"})
    assert rd_share_of_sales(ctx, policy.warnings) == []


def test_rd_with_zero_sales_warns(context: ContextFactory, policy: Policy) -> None:
    ctx = context({"finance.sales_revenue": "0.00"})
    assert [w.code for w in rd_share_of_sales(ctx, policy.warnings)] == ["rd_share_of_sales"]
