"""Tier figures and classification under the shipped tier rules (domain.md §8)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shared.kernel.policy import shipped_policy
from tracking.domain.tiers import rd_intensity, revenue_growth, tier_of

TRACKING = shipped_policy(2026).tracking
D = Decimal


def test_rd_intensity_is_rd_over_revenue_rounded_to_four_places() -> None:
    assert rd_intensity(D("220000"), D("2200000")) == D("0.1000")
    assert rd_intensity(D("1"), D("3")) == D("0.3333")
    assert rd_intensity(D("2"), D("3")) == D("0.6667")


def test_without_revenue_the_intensity_is_unknown() -> None:
    assert rd_intensity(D("1000"), D("0")) is None


def test_growth_needs_two_quarters_and_revenue_in_the_earliest() -> None:
    assert revenue_growth(D("1000000"), D("1200000"), 2) == D("0.2000")
    assert revenue_growth(D("1000000"), D("800000"), 4) == D("-0.2000")
    assert revenue_growth(D("1000000"), D("1200000"), 1) is None
    assert revenue_growth(D("0"), D("1200000"), 3) is None


@pytest.mark.parametrize(
    ("rd", "growth", "tier"),
    [
        (D("0.0600"), D("0.2000"), "leading"),  # both bounds inclusive
        (D("0.0599"), D("0.2000"), "growing"),
        (D("0.0600"), D("0.1999"), "growing"),
        (D("0.0300"), D("0.1000"), "growing"),
        (D("0.0299"), D("0.5000"), "basic"),
        (D("0.1000"), None, "basic"),  # an unknown figure meets no threshold
        (None, None, "basic"),
    ],
)
def test_the_first_tier_whose_thresholds_all_hold_wins(
    rd: Decimal | None, growth: Decimal | None, tier: str
) -> None:
    ranked = tier_of(TRACKING, rd, growth)
    assert ranked.rule.code == tier
    assert TRACKING.tiers[ranked.rank] is ranked.rule
