"""The same contact phone or e-mail on ≥ N enterprises in the same year (domain.md §6,
warn): a sign of an intermediary filing for many. Counted with an indexed query on
`case_contact(year, kind, value)`; when a new case reaches the threshold, every case with
that contact gets the warning (`warning_for`)."""

from __future__ import annotations

import hashlib

from review.domain.warnings.model import RaisedWarning, WarningContext
from shared.kernel.policy.warning_rules import SharedContactRule, WarningRules

_KIND_NAMES = {"phone": ("联系电话", "contact phone"), "email": ("联系邮箱", "contact e-mail")}


def normalise_contact(kind: str, value: str) -> str:
    """Phones without spaces, dashes or the +86 prefix; e-mails in lower case."""
    if kind == "email":
        return value.strip().lower()
    digits = "".join(ch for ch in value if ch.isdigit())
    return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits


def subject_of(kind: str, value: str) -> str:
    # The subject is stored and shown; a digest keeps the contact itself out of it.
    return f"{kind}:{hashlib.sha256(value.encode()).hexdigest()[:16]}"


def warning_for(rule: SharedContactRule, kind: str, value: str, enterprises: int) -> RaisedWarning:
    name, name_en = _KIND_NAMES[kind]
    return RaisedWarning(
        code="shared_contact",
        severity=rule.severity.value,
        message=f"同一{name}本年度被{enterprises}家企业使用（阈值{rule.min_enterprises}家）",
        message_en=(
            f"The same {name_en} is used by {enterprises} enterprises this year "
            f"(threshold {rule.min_enterprises})"
        ),
        data={"kind": kind, "enterprises": enterprises, "threshold": rule.min_enterprises},
        subject=subject_of(kind, value),
    )


def fires(rule: SharedContactRule, kind: str, enterprises: int) -> bool:
    return rule.enabled and kind in rule.match_on and enterprises >= rule.min_enterprises


def shared_contact(ctx: WarningContext, rules: WarningRules) -> list[RaisedWarning]:
    rule = rules.shared_contact
    return [
        warning_for(rule, usage.kind, usage.value, usage.enterprises)
        for usage in ctx.contact_usage
        if fires(rule, usage.kind, usage.enterprises)
    ]
