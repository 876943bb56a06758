"""Large jumps against the enterprise's previous-year application (domain.md §6, warn),
e.g. an R&D ratio three times last year's."""

from __future__ import annotations

from decimal import Decimal

from review.domain.warnings.model import RaisedWarning, WarningContext
from shared.kernel.evaluation.form import InformationForm
from shared.kernel.policy.warning_rules import JumpMetric, WarningRules

_METRIC_NAMES: dict[str, tuple[str, str]] = {
    "rd_ratio_sales": ("研发费用占销售收入比例", "R&D to sales ratio"),
    "rd_ratio_cost": ("研发费用占成本费用比例", "R&D to total cost ratio"),
    "rd_expense_total": ("研发费用", "R&D expense"),
    "sales_revenue": ("销售收入", "sales revenue"),
    "total_assets": ("资产总额", "total assets"),
    "employees_total": ("职工总数", "total employees"),
    "st_personnel": ("科技人员数", "S&T personnel"),
}


def metric(form: InformationForm, name: JumpMetric) -> Decimal | None:
    """The metric of a form; None when it cannot be computed (a ratio over zero)."""
    f = form.finance
    if name == "rd_ratio_sales":
        return f.rd_expense_total / f.sales_revenue if f.sales_revenue else None
    if name == "rd_ratio_cost":
        return f.rd_expense_total / f.cost_expense_total if f.cost_expense_total else None
    if name == "employees_total":
        return Decimal(form.personnel.employees_total)
    if name == "st_personnel":
        return Decimal(form.personnel.st_personnel)
    value: Decimal = getattr(f, name)
    return value


def _shown(name: str, value: Decimal) -> str:
    if name.startswith("rd_ratio"):
        return f"{value * 100:.2f}%"
    return f"{value.normalize():f}"


def jump_vs_previous_year(ctx: WarningContext, rules: WarningRules) -> list[RaisedWarning]:
    rule = rules.jump_vs_previous_year
    if not rule.enabled or ctx.previous_form is None:
        return []
    raised = []
    for name in rule.metrics:
        before, now = metric(ctx.previous_form, name), metric(ctx.form, name)
        # Nothing to compare with a zero or missing base: no factor can be measured.
        if before is None or now is None or before <= 0 or now < rule.factor * before:
            continue
        zh, en = _METRIC_NAMES[name]
        raised.append(
            RaisedWarning(
                code="jump_vs_previous_year",
                severity=rule.severity.value,
                message=(
                    f"{zh}由上一年度申报的{_shown(name, before)}升至{_shown(name, now)}，"
                    f"达到{rule.factor}倍以上"
                ),
                message_en=(
                    f"{en[0].upper()}{en[1:]} rose from {_shown(name, before)} in the "
                    f"previous year's application to {_shown(name, now)}, "
                    f"at least {rule.factor} times"
                ),
                data={
                    "metric": name,
                    "previous": str(before),
                    "current": str(now),
                    "factor": str(rule.factor),
                    "previous_year": ctx.previous_form.year,
                },
                subject=name,
            )
        )
    return raised
