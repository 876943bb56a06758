"""On a credit list or with a recorded major incident in the previous or current year
(domain.md §2.4, §6, block), from supervision's credit archive (`credit.recorded`)."""

from __future__ import annotations

from datetime import date

from review.domain.warnings.model import CreditEntry, RaisedWarning, WarningContext
from shared.kernel.policy.warning_rules import WarningRules


def lookback_period(year: int, lookback_years: int) -> tuple[date, date]:
    """art. 6(4): the previous accounting year(s) and the evaluation year itself."""
    return date(year - lookback_years, 1, 1), date(year, 12, 31)


def touches(entry: CreditEntry, first: date, last: date) -> bool:
    return entry.as_record().overlaps(first, last)


def credit_record(ctx: WarningContext, rules: WarningRules) -> list[RaisedWarning]:
    rule = rules.credit_record
    if not rule.enabled:
        return []
    first, last = lookback_period(ctx.form.year, ctx.credit_lookback_years)
    raised = []
    for entry in ctx.credit_entries:
        if not entry.bars or not touches(entry, first, last):
            continue
        name, name_en = entry.as_record().names
        until = f"至{entry.ends_on}" if entry.ends_on else "起至今"
        until_en = f"until {entry.ends_on}" if entry.ends_on else "still in force"
        raised.append(
            RaisedWarning(
                code="credit_record",
                severity=rule.severity.value,
                message=f"{first}至{last}期间存在失信记录：{name}（{entry.starts_on}{until}）",
                message_en=(
                    f"Credit record between {first} and {last}: {name_en} "
                    f"(from {entry.starts_on}, {until_en})"
                ),
                data={
                    "entry": entry.key,
                    "kind": entry.kind,
                    "source": entry.source,
                    "starts_on": str(entry.starts_on),
                    "ends_on": str(entry.ends_on) if entry.ends_on else None,
                },
                subject=entry.key,
            )
        )
    return raised
