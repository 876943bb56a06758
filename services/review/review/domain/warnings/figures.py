"""Implausible figures (domain.md §6): R&D above total cost; R&D ≥ a share of sales."""

from __future__ import annotations

from review.domain.warnings.model import RaisedWarning, WarningContext
from shared.kernel.policy.warning_rules import WarningRules


def rd_exceeds_cost(ctx: WarningContext, rules: WarningRules) -> list[RaisedWarning]:
    """R&D expense is part of total cost and expense, so it cannot be larger (§6, warn)."""
    rule = rules.rd_exceeds_cost
    finance = ctx.form.finance
    if not rule.enabled or finance.rd_expense_total <= finance.cost_expense_total:
        return []
    return [
        RaisedWarning(
            code="rd_exceeds_cost",
            severity=rule.severity.value,
            message=(
                f"研发费用{finance.rd_expense_total}元大于成本费用总额"
                f"{finance.cost_expense_total}元"
            ),
            message_en=(
                f"R&D expense {finance.rd_expense_total} yuan exceeds total cost and expense "
                f"{finance.cost_expense_total} yuan"
            ),
            data={
                "rd_expense_total": str(finance.rd_expense_total),
                "cost_expense_total": str(finance.cost_expense_total),
            },
        )
    ]


def rd_share_of_sales(ctx: WarningContext, rules: WarningRules) -> list[RaisedWarning]:
    """R&D expense at least `ratio` × sales revenue (default 100%, §6, warn)."""
    rule = rules.rd_share_of_sales
    finance = ctx.form.finance
    rd, sales = finance.rd_expense_total, finance.sales_revenue
    # No R&D at all is not implausible, whatever the sales.
    if not rule.enabled or rd <= 0 or rd < rule.ratio * sales:
        return []
    percent = f"{rule.ratio * 100:.0f}%"
    return [
        RaisedWarning(
            code="rd_share_of_sales",
            severity=rule.severity.value,
            message=f"研发费用{rd}元不低于销售收入{sales}元的{percent}",
            message_en=f"R&D expense {rd} yuan is at least {percent} of sales revenue {sales} yuan",
            data={
                "rd_expense_total": str(rd),
                "sales_revenue": str(sales),
                "ratio": str(rule.ratio),
            },
        )
    ]
