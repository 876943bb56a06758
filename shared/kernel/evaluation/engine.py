"""The self-evaluation (自评) of one information form under one yearly policy.

    from shared.kernel.evaluation.engine import evaluate
    result = evaluate(form, policy, evaluation_date=policy.evaluation_date_for(today))

Pure domain code: no I/O, "now" is a parameter, known facts are passed in. The policy's
tables are compiled once per policy (`scorer_for`), so a form scores in microseconds.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date

from shared.kernel.evaluation.eligibility import basic_conditions
from shared.kernel.evaluation.facts import NO_KNOWN_FACTS, KnownFacts
from shared.kernel.evaluation.fast_track import assess_fast_track
from shared.kernel.evaluation.form import InformationForm
from shared.kernel.evaluation.result import (
    ConditionResult,
    FastTrackResult,
    PersonnelScore,
    SelfEvaluation,
)
from shared.kernel.evaluation.scoring import (
    ScoringTables,
    score_achievements,
    score_passes,
    score_personnel,
    score_rd,
)
from shared.kernel.policy.model import Policy


class PolicyYearMismatch(ValueError):
    """A form of one evaluation year scored under another year's policy."""


def _score_or_fast_track(
    total: int, personnel: PersonnelScore, fast_track: FastTrackResult, tables: ScoringTables
) -> ConditionResult:
    """art. 8 before art. 7: a valid fast-track makes the score irrelevant."""
    if fast_track.qualified:
        kinds = ", ".join(fast_track.basis)
        return ConditionResult(
            code="score_or_fast_track",
            passed=True,
            message=f"符合直通车条件（{kinds}），不受综合评价得分限制",
            message_en=f"Meets a fast-track condition ({kinds}); the score does not decide",
            group="score",
        )
    passed = score_passes(total, personnel, tables)
    if passed:
        zh = f"综合评价得分{total}分，不低于{tables.pass_score}分"
        en = f"Composite score {total}, at least {tables.pass_score}"
        if tables.personnel_points_required:
            zh += f"，且科技人员指标得分{personnel.points}分大于0"
            en += f", with {personnel.points} personnel points above 0"
    elif total < tables.pass_score:
        zh = f"综合评价得分{total}分，低于{tables.pass_score}分，且不符合任何直通车条件"
        en = f"Composite score {total}, below {tables.pass_score}, and no fast-track qualifies"
    else:
        zh = f"综合评价得分{total}分，但科技人员指标得分为0，且不符合任何直通车条件"
        en = f"Composite score {total}, but the personnel indicator scores 0 and no fast-track"
        en += " qualifies"
    return ConditionResult(
        code="score_or_fast_track", passed=passed, message=zh, message_en=en, group="score"
    )


def _reasons(conditions: list[ConditionResult]) -> list[str]:
    """Messages of the failed conditions that decide eligibility (see `result`)."""
    decisive = [c for c in conditions if c.group == "basic" and not c.passed]
    score = next(c for c in conditions if c.code == "score_or_fast_track")
    if not score.passed:
        decisive.append(score)
        decisive += [c for c in conditions if c.group == "fast_track" and not c.passed]
    return [c.message for c in decisive]


@dataclass(frozen=True, slots=True)
class Scorer:
    """A policy compiled for scoring; build with `scorer_for(policy)`."""

    policy: Policy
    tables: ScoringTables

    @classmethod
    def compile(cls, policy: Policy) -> Scorer:
        return cls(policy=policy, tables=ScoringTables.from_policy(policy.scoring))

    def evaluate(
        self,
        form: InformationForm,
        evaluation_date: date,
        facts: KnownFacts = NO_KNOWN_FACTS,
    ) -> SelfEvaluation:
        policy, tables = self.policy, self.tables
        if form.year != policy.year:
            raise PolicyYearMismatch(f"form of {form.year} under the policy of {policy.year}")

        personnel = score_personnel(form.personnel, tables)
        rd, rd_notice = score_rd(form.finance, form.rd_ratio_choice, tables)
        achievements, ip_notice = score_achievements(form.ip, evaluation_date, tables)
        total = personnel.points + rd.points + achievements.points
        fast_track, claims = assess_fast_track(
            form.fast_track, policy.fast_track, form.year, evaluation_date
        )

        basic = basic_conditions(form, policy.eligibility, facts)
        score = _score_or_fast_track(total, personnel, fast_track, tables)
        notices = [n for n in (rd_notice, ip_notice) if n is not None]
        conditions = [*basic, score, *claims, *notices]
        # art. 6 + arts. 7/8: every basic condition, and a fast-track or a passing score.
        eligible = score.passed and all(c.passed for c in basic)
        return SelfEvaluation(
            personnel=personnel,
            rd=rd,
            achievements=achievements,
            total=total,
            fast_track=fast_track,
            conditions=conditions,
            eligible=eligible,
            reasons=[] if eligible else _reasons(conditions),
            policy_version=policy.version,
            evaluated_on=evaluation_date,
        )


# Compiled scorers by (year, version). A policy object that differs from the cached one
# under the same key (an edited copy that kept its version) is compiled afresh, never
# scored with stale tables.
_SCORERS: dict[tuple[int, int], Scorer] = {}
_SCORERS_LOCK = threading.Lock()
_SCORERS_MAX = 64


def scorer_for(policy: Policy) -> Scorer:
    key = (policy.year, policy.version)
    cached = _SCORERS.get(key)
    if cached is not None and (cached.policy is policy or cached.policy == policy):
        return cached
    scorer = Scorer.compile(policy)
    with _SCORERS_LOCK:
        if len(_SCORERS) >= _SCORERS_MAX:
            _SCORERS.pop(next(iter(_SCORERS)))
        _SCORERS[key] = scorer
    return scorer


def evaluate(
    form: InformationForm,
    policy: Policy,
    evaluation_date: date,
    facts: KnownFacts = NO_KNOWN_FACTS,
) -> SelfEvaluation:
    """Score `form` and check every condition under `policy` on `evaluation_date`.

    `evaluation_date` is usually `policy.evaluation_date_for(today)`; `facts` are the
    credit records the caller knows (none by default).
    """
    return scorer_for(policy).evaluate(form, evaluation_date, facts)
