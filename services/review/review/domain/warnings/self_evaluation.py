"""The enterprise's self-evaluation disagrees with the score recomputed here (block).

Compared: the points of each part, the total and whether a fast-track qualifies. Not
eligibility as a whole: credit records only review knows are the credit rule's business.
"""

from __future__ import annotations

from typing import Any

from review.domain.warnings.model import RaisedWarning, WarningContext
from shared.kernel.evaluation.result import SelfEvaluation
from shared.kernel.policy.warning_rules import WarningRules


def score_summary(evaluation: SelfEvaluation) -> dict[str, Any]:
    return {
        "personnel": evaluation.personnel.points,
        "rd": evaluation.rd.points,
        "achievements": evaluation.achievements.points,
        "total": evaluation.total,
        "fast_track": evaluation.fast_track.qualified,
    }


def self_evaluation_mismatch(ctx: WarningContext, rules: WarningRules) -> list[RaisedWarning]:
    rule = rules.self_evaluation_mismatch
    claimed, recomputed = score_summary(ctx.claimed), score_summary(ctx.recomputed)
    if not rule.enabled or claimed == recomputed:
        return []
    differing = [k for k in recomputed if claimed[k] != recomputed[k]]
    return [
        RaisedWarning(
            code="self_evaluation_mismatch",
            severity=rule.severity.value,
            message=(
                f"企业自评结果与系统复核不一致（{'、'.join(differing)}）：自评总分"
                f"{claimed['total']}分，复核{recomputed['total']}分"
            ),
            message_en=(
                f"The self-evaluation differs from the recomputed score ({', '.join(differing)}): "
                f"claimed total {claimed['total']}, recomputed {recomputed['total']}"
            ),
            data={"claimed": claimed, "recomputed": recomputed, "differing": differing},
        )
    ]
