"""Fast-track evidence inconsistent (domain.md §6, block): a claimed 直通车 condition whose
evidence fails on the evaluation date — expired certificate, award older than five years."""

from __future__ import annotations

from review.domain.warnings.model import RaisedWarning, WarningContext
from shared.kernel.policy.warning_rules import WarningRules


def fast_track_inconsistent(ctx: WarningContext, rules: WarningRules) -> list[RaisedWarning]:
    rule = rules.fast_track_inconsistent
    if not rule.enabled:
        return []
    # The engine explains every claim, in form order, as a `fast_track` condition (art. 8);
    # a failed one is evidence that does not hold.
    explained = [c for c in ctx.recomputed.conditions if c.group == "fast_track"]
    return [
        RaisedWarning(
            code="fast_track_inconsistent",
            severity=rule.severity.value,
            message=condition.message,
            message_en=condition.message_en,
            data={
                "claim": claim.kind,
                "reference": claim.reference,
                "evaluated_on": str(ctx.recomputed.evaluated_on),
            },
            subject=f"{claim.kind}:{claim.reference}",
        )
        for claim, condition in zip(ctx.form.fast_track, explained, strict=False)
        if not condition.passed
    ]
