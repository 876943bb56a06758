"""The self-evaluation result (contract.md "Self-evaluation result").

Returned with every application and by the preview, and carried in
`cn.sme.application.submitted.v1`. Every part explains itself.

Ratios are shown truncated to four decimals (a shown "0.3000" always reached 30%);
points are computed from the exact ratio, so 29.999% shows "0.2999" and scores 16.

`conditions` holds every checked condition, each with a `group`:
- `basic` — basic conditions 1-4 (art. 6); all must pass;
- `score` — `score_or_fast_track`: a fast-track qualifies or the score passes (arts. 7, 8);
- `fast_track` — one per fast-track claim, passed or not (art. 8); a failed claim does not
  by itself make the enterprise ineligible;
- `notice` — explanations that never decide eligibility (the R&D ratio that could not be
  used, IP that was not counted).
`reasons` lists the Chinese `message` of every failed condition that decides eligibility:
the failed `basic` conditions and, when `score_or_fast_track` fails, its message followed
by the messages of the failed fast-track claims. Empty when `eligible`.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from shared.kernel.money import Ratio

_OUT = ConfigDict(extra="ignore", frozen=True)

ConditionGroup = Literal["basic", "score", "fast_track", "notice"]


class PersonnelScore(BaseModel):
    model_config = _OUT
    ratio: Ratio | None
    points: int


class RdScore(BaseModel):
    model_config = _OUT
    ratio_sales: Ratio | None
    ratio_cost: Ratio | None
    chosen: str | None  # "sales" | "cost"; None when neither ratio can be computed
    points: int


class AchievementScore(BaseModel):
    model_config = _OUT
    class1: int
    class2: int
    points: int


class FastTrackResult(BaseModel):
    model_config = _OUT
    qualified: bool
    basis: list[str]


class ConditionResult(BaseModel):
    """One checked condition: a basic condition, a score rule or a fast-track claim."""

    model_config = _OUT
    code: str
    passed: bool
    message: str
    message_en: str
    group: ConditionGroup = "basic"


class SelfEvaluation(BaseModel):
    model_config = _OUT
    personnel: PersonnelScore
    rd: RdScore
    achievements: AchievementScore
    total: int
    fast_track: FastTrackResult
    conditions: list[ConditionResult]
    eligible: bool
    reasons: list[str]
    policy_version: int | None = None
    # The date IP validity and fast-track evidence were judged on (policy `evaluation_date`).
    evaluated_on: date | None = None
