"""Scoring thresholds of art. 7 as data: bands, achievement points, IP classes, pass score."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise
from typing import Annotated, Protocol, TypeVar

from pydantic import AfterValidator, Field, field_validator, model_validator

from shared.kernel.codes.achievements import IPKind
from shared.kernel.policy.values import Points, PolicySection, UnitRatio


class IPClass(StrEnum):
    CLASS1 = "class1"  # Ⅰ类知识产权
    CLASS2 = "class2"  # Ⅱ类知识产权
    NONE = "none"  # never counted (trademarks, other)


class ScoreBand(PolicySection):
    """Ratio ≥ `at_least` earns `points` (art. 7: lower bound inclusive, upper exclusive)."""

    at_least: UnitRatio
    points: Points


class CountBand(PolicySection):
    """At least `at_least` Class II items earn `points`."""

    at_least: Annotated[int, Field(ge=1, le=1000)]
    points: Points


class _Band(Protocol):
    @property
    def at_least(self) -> Decimal | int: ...
    @property
    def points(self) -> int: ...


def check_bands(bands: Sequence[_Band]) -> None:
    """Bands ascend strictly by lower bound and never award fewer points for more.

    Monotone points are what make "a better figure never lowers the score" true.
    """
    if not bands:
        raise ValueError("at least one band is required")
    for lower, upper in pairwise(bands):
        if upper.at_least <= lower.at_least:
            raise ValueError("bands must be sorted by at_least, strictly ascending")
        if upper.points < lower.points:
            raise ValueError("points must not decrease as at_least increases")


_B = TypeVar("_B", bound=_Band)


def _sorted_bands(bands: tuple[_B, ...]) -> tuple[_B, ...]:
    check_bands(bands)
    return bands


RatioBands = Annotated[tuple[ScoreBand, ...], AfterValidator(_sorted_bands)]
CountBands = Annotated[tuple[CountBand, ...], AfterValidator(_sorted_bands)]


class AchievementRules(PolicySection):
    """Art. 7 achievements: one Class I earns `class1_points`; otherwise Class II count bands.

    The bands do not add up: the highest band reached is the score.
    """

    class1_points: Points
    class2_bands: CountBands

    @model_validator(mode="after")
    def _class1_outranks_class2(self) -> AchievementRules:
        if self.class2_bands and self.class1_points < self.class2_bands[-1].points:
            raise ValueError("class1_points must be at least the highest class2 band")
        return self


class ScoringPolicy(PolicySection):
    personnel_bands: RatioBands  # S&T personnel ÷ total employees
    rd_sales_bands: RatioBands  # R&D expense ÷ sales revenue
    rd_cost_bands: RatioBands  # R&D expense ÷ total cost and expense
    achievements: AchievementRules
    pass_score: Annotated[int, Field(ge=1, le=100)]
    # art. 7 / 2022 guideline: the score passes only if the personnel indicator is above 0.
    personnel_points_required: bool
    # Definition of "total cost and expense" (成本费用总额) the enterprise reports: main and
    # other business cost + selling, administrative and financial expenses, plus taxes and
    # surcharges (税金及附加) only when this is true. The form carries one figure, so the
    # flag does not change arithmetic: the portal shows it in the field's help text and a
    # reviewer checks the figure against it.
    cost_includes_taxes_and_surcharges: bool
    ip_classes: dict[IPKind, IPClass]

    @field_validator("ip_classes")
    @classmethod
    def _every_kind_classified(cls, v: dict[IPKind, IPClass]) -> dict[IPKind, IPClass]:
        missing = [k.value for k in IPKind if k not in v]
        if missing:
            raise ValueError(f"every IP kind needs a class; missing: {', '.join(missing)}")
        return v

    @property
    def max_total(self) -> int:
        return (
            self.personnel_bands[-1].points
            + max(self.rd_sales_bands[-1].points, self.rd_cost_bands[-1].points)
            + self.achievements.class1_points
        )

    @model_validator(mode="after")
    def _pass_score_reachable(self) -> ScoringPolicy:
        if self.pass_score > self.max_total:
            raise ValueError(
                f"pass_score {self.pass_score} exceeds the full score {self.max_total}"
            )
        return self
