"""Settings that change behaviour: evaluation date, registration validity, tiers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from shared.kernel.policy import policy_from_document, shipped_policy


def document() -> dict[str, Any]:
    return shipped_policy(2026).to_document()


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


@pytest.mark.parametrize(
    ("rule", "fixed", "expected"),
    [
        ("submission_date", None, date(2026, 5, 4)),
        ("window_closes_on", None, date(2026, 12, 31)),
        ("fixed_date", "2026-09-30", date(2026, 9, 30)),
    ],
)
def test_the_evaluation_date_rule_is_a_setting(
    rule: str, fixed: str | None, expected: date
) -> None:
    doc = document()
    doc["evaluation_date"] = {"rule": rule, "fixed_date": fixed}
    assert policy_from_document(doc).evaluation_date_for(date(2026, 5, 4)) == expected


def test_a_fixed_registration_validity_is_a_setting() -> None:
    doc = document()
    doc["registration"].update(validity="fixed_date", valid_until="2027-03-31")
    assert policy_from_document(doc).registration.valid_until_for(2026) == date(2027, 3, 31)


@pytest.mark.parametrize(
    ("intensity", "growth", "tier"),
    [
        ("0.06", "0.20", "leading"),
        ("0.0599", "0.50", "growing"),
        ("0.10", "0.1999", "growing"),
        ("0.02", "0.50", "basic"),
        ("0.05", "0.0999", "basic"),
        (None, None, "basic"),
    ],
)
def test_tiers_are_ordered_and_the_first_match_wins(
    intensity: str | None, growth: str | None, tier: str
) -> None:
    tracking = shipped_policy(2026).tracking
    assert tracking.tier_for(_decimal(intensity), _decimal(growth)).code == tier
