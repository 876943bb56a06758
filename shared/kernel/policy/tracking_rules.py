"""Quarterly tracking (季度跟踪) and tiering (分层分类) rules (domain.md §8) as data."""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import Field, field_validator

from shared.kernel.policy.values import Days, Factor, PolicySection, UnitRatio


class DayCounting(StrEnum):
    CALENDAR = "calendar"
    WORKING = "working"


class ReportFieldKind(StrEnum):
    MONEY = "money"  # yuan, non-negative, two decimals
    SIGNED_MONEY = "signed_money"  # yuan, may be negative (profit)
    COUNT = "count"  # non-negative whole number


_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


class ReportField(PolicySection):
    """One figure of the quarterly report body (contract.md "quarterly report body")."""

    name: str
    kind: ReportFieldKind
    label: Annotated[str, Field(min_length=1)]
    label_en: Annotated[str, Field(min_length=1)]

    @field_validator("name")
    @classmethod
    def _identifier(cls, v: str) -> str:
        if not _FIELD_NAME.match(v):
            raise ValueError("field name must be snake_case ([a-z][a-z0-9_]*)")
        return v


class TierRule(PolicySection):
    """A named tier; an enterprise is in the first tier whose every threshold it meets.

    R&D intensity = R&D expense ÷ operating revenue over the reported quarters; revenue
    growth = growth of operating revenue over the reported quarters (the tracking service
    defines the quarters it compares). A threshold left null is not checked, so a tier
    with no thresholds catches everything.
    """

    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name: Annotated[str, Field(min_length=1)]  # 领军 / 成长 / 基础
    name_en: Annotated[str, Field(min_length=1)]
    min_rd_intensity: UnitRatio | None = None
    min_revenue_growth: Factor | None = None

    def matches(self, rd_intensity: Decimal | None, revenue_growth: Decimal | None) -> bool:
        # An unknown figure (no revenue reported) never meets a threshold.
        if self.min_rd_intensity is not None and (
            rd_intensity is None or rd_intensity < self.min_rd_intensity
        ):
            return False
        return self.min_revenue_growth is None or (
            revenue_growth is not None and revenue_growth >= self.min_revenue_growth
        )

    @property
    def catches_all(self) -> bool:
        return self.min_rd_intensity is None and self.min_revenue_growth is None


class TrackingPolicy(PolicySection):
    due_days_after_quarter_end: Days
    day_counting: DayCounting
    report_fields: Annotated[tuple[ReportField, ...], Field(min_length=1)]
    tiers: Annotated[tuple[TierRule, ...], Field(min_length=1)]  # ordered, first match wins

    @field_validator("report_fields")
    @classmethod
    def _unique_fields(cls, v: tuple[ReportField, ...]) -> tuple[ReportField, ...]:
        names = [f.name for f in v]
        if len(set(names)) != len(names):
            raise ValueError("report field names must be unique")
        return v

    @field_validator("tiers")
    @classmethod
    def _tiers_cover_everyone(cls, v: tuple[TierRule, ...]) -> tuple[TierRule, ...]:
        codes = [t.code for t in v]
        if len(set(codes)) != len(codes):
            raise ValueError("tier codes must be unique")
        if not v[-1].catches_all:
            raise ValueError(
                "the last tier must have no thresholds so that every enterprise has a tier"
            )
        return v

    def tier_for(self, rd_intensity: Decimal | None, revenue_growth: Decimal | None) -> TierRule:
        return next(t for t in self.tiers if t.matches(rd_intensity, revenue_growth))
