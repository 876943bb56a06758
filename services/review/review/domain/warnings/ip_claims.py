"""The same IP number claimed by another enterprise in the same year (domain.md §6, warn).

Evaluated from an indexed table of claims (`case_ip_claim(year, ip_number)`); a new claim
raises the warning on the older claimant's case too (`warning_for`).
"""

from __future__ import annotations

from collections.abc import Sequence

from review.domain.warnings.model import RaisedWarning, WarningContext
from shared.kernel.policy.warning_rules import WarningRule, WarningRules


def normalise_ip_number(number: str) -> str:
    """`ZL 2021 1000 0001.1` and `zl202110000001.1` are the same patent."""
    return "".join(number.split()).upper()


def warning_for(rule: WarningRule, ip_number: str, others: Sequence[str]) -> RaisedWarning:
    listed = "、".join(sorted(others))
    return RaisedWarning(
        code="duplicate_ip",
        severity=rule.severity.value,
        message=f"知识产权{ip_number}本年度也被其他企业申报：{listed}",
        message_en=f"IP {ip_number} is also claimed this year by: {', '.join(sorted(others))}",
        data={"ip_number": ip_number, "other_enterprises": sorted(others)},
        subject=ip_number,
    )


def duplicate_ip(ctx: WarningContext, rules: WarningRules) -> list[RaisedWarning]:
    rule = rules.duplicate_ip
    if not rule.enabled:
        return []
    return [
        warning_for(rule, number, others)
        for number, others in sorted(ctx.ip_claimed_elsewhere.items())
        if others
    ]
