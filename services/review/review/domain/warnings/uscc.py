"""USCC check digit mismatch (GB 32100-2015, domain.md §6): only a warning, because some
genuine early codes fail it."""

from __future__ import annotations

from review.domain.warnings.model import RaisedWarning, WarningContext
from shared.kernel.policy.warning_rules import WarningRules


def uscc_checksum(ctx: WarningContext, rules: WarningRules) -> list[RaisedWarning]:
    rule = rules.uscc_checksum
    if not rule.enabled or ctx.uscc_checksum_ok:
        return []
    uscc = ctx.form.enterprise.uscc
    return [
        RaisedWarning(
            code="uscc_checksum",
            severity=rule.severity.value,
            message=f"统一社会信用代码{uscc}校验位不正确，请核实营业执照",
            message_en=f"The check digit of USCC {uscc} is wrong; verify the business licence",
            data={"uscc": uscc},
        )
    ]
