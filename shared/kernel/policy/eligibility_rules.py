"""Basic conditions 2-4 of art. 6 as data: size limits, excluded industries, credit period."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from shared.kernel.codes.industry import INDUSTRY_PATTERN
from shared.kernel.money import Money
from shared.kernel.policy.values import PolicySection


class SizeLimits(PolicySection):
    """Art. 6(2): the limits are inclusive (exactly 500 employees is still an SME)."""

    employees_max: Annotated[int, Field(ge=1)]
    sales_revenue_max: Money
    total_assets_max: Money


class IndustryExclusion(PolicySection):
    """An industry excluded from the R&D super-deduction (art. 6(3)), by GB/T 4754 code.

    `code_prefix` is matched as a prefix: `F` (wholesale and retail, a whole section)
    excludes `F5123`; `C16` (tobacco) excludes `C1610` but not `C17`.
    """

    code_prefix: Annotated[str, Field(pattern=INDUSTRY_PATTERN)]
    name: Annotated[str, Field(min_length=1)]
    name_en: Annotated[str, Field(min_length=1)]


class EligibilityPolicy(PolicySection):
    size_limits: SizeLimits
    excluded_industries: tuple[IndustryExclusion, ...]
    # Art. 6(4) looks at "the previous year and the current year": a credit record counts
    # when it overlaps 1 January of (evaluation year − credit_lookback_years) .. 31 December
    # of the evaluation year.
    credit_lookback_years: Annotated[int, Field(ge=0, le=10)]

    @field_validator("excluded_industries")
    @classmethod
    def _unique_prefixes(cls, v: tuple[IndustryExclusion, ...]) -> tuple[IndustryExclusion, ...]:
        prefixes = [e.code_prefix for e in v]
        if len(set(prefixes)) != len(prefixes):
            raise ValueError("excluded industry prefixes must be unique")
        return v
