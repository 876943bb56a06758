"""Established after the reported accounting year (domain.md §6, block): the figures are
those of year − 1, so the enterprise must have existed by its end."""

from __future__ import annotations

from datetime import date

from review.domain.warnings.model import RaisedWarning, WarningContext
from shared.kernel.policy.warning_rules import WarningRules


def established_after_reported_year(
    ctx: WarningContext, rules: WarningRules
) -> list[RaisedWarning]:
    rule = rules.established_after_reported_year
    established = ctx.form.enterprise.established_on
    reported_year_end = date(ctx.form.reported_year, 12, 31)
    if not rule.enabled or established <= reported_year_end:
        return []
    return [
        RaisedWarning(
            code="established_after_reported_year",
            severity=rule.severity.value,
            message=f"成立日期{established}晚于所报会计年度末{reported_year_end}",
            message_en=(
                f"Established on {established}, after the end of the reported accounting "
                f"year ({reported_year_end})"
            ),
            data={
                "established_on": str(established),
                "reported_year_end": str(reported_year_end),
            },
        )
    ]
