"""Tiering (分层分类) of registered enterprises by the policy's tier rules (domain.md §8).

The figures, over an enterprise's most recent reported quarters (at most
`TrackingSettings.tier_window_quarters`, a rolling year by default):
- R&D intensity = Σ R&D expense ÷ Σ operating revenue (unknown when Σ revenue is 0);
- revenue growth = revenue of the latest quarter ÷ revenue of the earliest quarter − 1
  (unknown with fewer than two reported quarters or no revenue in the earliest).
Both are rounded half away from zero to four decimals, and the rounded figure is the one
classified and shown: what a bureau sees is exactly what put the enterprise in its tier.
The tier is the first of the policy's ordered tiers whose every threshold the figures meet
(`TierRule.matches`: an unknown figure meets no threshold); the last tier catches all.

The figures of thousands of enterprises are computed in one SQL statement
(`tracking.adapters.tiers`), which turns the ordered rules into a CASE expression; these
functions are the reference the SQL is tested against.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from shared.kernel.policy.tracking_rules import TierRule, TrackingPolicy

FIGURE_PLACES = 4
_QUANTUM = Decimal(1).scaleb(-FIGURE_PLACES)


def rounded(value: Decimal) -> Decimal:
    return value.quantize(_QUANTUM, rounding=ROUND_HALF_UP)


def rd_intensity(rd_expense: Decimal, operating_revenue: Decimal) -> Decimal | None:
    if operating_revenue <= 0:
        return None
    return rounded(rd_expense / operating_revenue)


def revenue_growth(earliest: Decimal, latest: Decimal, quarters: int) -> Decimal | None:
    if quarters < 2 or earliest <= 0:
        return None
    return rounded(latest / earliest - 1)


@dataclass(frozen=True, slots=True)
class RankedTier:
    rank: int  # 0 = the first (strongest) tier of the policy
    rule: TierRule


def ranked_tiers(tracking: TrackingPolicy) -> list[RankedTier]:
    return [RankedTier(rank, rule) for rank, rule in enumerate(tracking.tiers)]


def tier_of(tracking: TrackingPolicy, rd: Decimal | None, growth: Decimal | None) -> RankedTier:
    rule = tracking.tier_for(rd, growth)
    return RankedTier(tracking.tiers.index(rule), rule)
