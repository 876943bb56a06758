"""Interval logic of credit-archive entries: closing never erases, overlap with the years
that decide eligibility (domain.md §2.4, §7)."""

from __future__ import annotations

from datetime import date

import pytest

from supervision.domain.credit import (
    JOINT_PUNISHMENT_GROUNDS,
    CreditKind,
    Interval,
    entry_interval,
    listing_reference,
    lookback_span,
)
from supervision.domain.errors import InvalidCreditInterval


def test_a_listing_without_end_is_open_and_active_from_its_start() -> None:
    listing = Interval(date(2026, 3, 1))
    assert listing.is_open
    assert not listing.active_on(date(2026, 2, 28))
    assert listing.active_on(date(2026, 3, 1))
    assert listing.active_on(date(2030, 1, 1))


def test_removal_closes_the_interval_on_the_removal_day() -> None:
    closed = Interval(date(2026, 3, 1)).closed_on(date(2026, 9, 30))
    assert closed == Interval(date(2026, 3, 1), date(2026, 9, 30))
    assert closed.active_on(date(2026, 9, 30))  # the last day still counts
    assert not closed.active_on(date(2026, 10, 1))


def test_a_second_removal_does_not_rewrite_history() -> None:
    closed = Interval(date(2026, 3, 1), date(2026, 9, 30))
    assert closed.closed_on(date(2026, 12, 1)) is closed


def test_a_removal_on_the_listing_day_is_a_one_day_interval() -> None:
    assert Interval(date(2026, 3, 1)).closed_on(date(2026, 3, 1)).active_on(date(2026, 3, 1))


def test_an_end_before_the_start_is_refused() -> None:
    with pytest.raises(InvalidCreditInterval):
        Interval(date(2026, 3, 1), date(2026, 2, 28))
    with pytest.raises(InvalidCreditInterval):
        Interval(date(2026, 3, 1)).closed_on(date(2026, 2, 1))


def test_the_lookback_span_is_the_previous_and_the_evaluation_year() -> None:
    assert lookback_span(2026, 1) == (date(2025, 1, 1), date(2026, 12, 31))
    assert lookback_span(2026, 2) == (date(2024, 1, 1), date(2026, 12, 31))


@pytest.mark.parametrize(
    ("interval", "overlaps"),
    [
        (Interval(date(2024, 1, 1), date(2024, 12, 31)), False),  # ended before the span
        (Interval(date(2024, 6, 1), date(2025, 1, 1)), True),  # its last day is in the span
        (Interval(date(2023, 1, 1)), True),  # still open
        (Interval(date(2026, 12, 31)), True),
        (Interval(date(2027, 1, 1)), False),  # starts after the span
    ],
)
def test_overlap_with_the_years_that_decide_eligibility(interval: Interval, overlaps: bool) -> None:
    first, last = lookback_span(2026, 1)
    assert interval.overlaps(first, last) is overlaps


def test_listings_and_incidents_start_joint_punishment_and_tax_records_do_not() -> None:
    assert JOINT_PUNISHMENT_GROUNDS[CreditKind.ABNORMAL_OPERATION] == "credit_listing"
    assert JOINT_PUNISHMENT_GROUNDS[CreditKind.SERIOUS_DISHONESTY] == "credit_listing"
    assert JOINT_PUNISHMENT_GROUNDS[CreditKind.MAJOR_INCIDENT] == "major_incident"
    assert JOINT_PUNISHMENT_GROUNDS[CreditKind.RESEARCH_MISCONDUCT] == "research_misconduct"
    assert CreditKind.MAJOR_TAX_VIOLATION not in JOINT_PUNISHMENT_GROUNDS
    assert CreditKind.SUBSTANTIATED_CASE not in JOINT_PUNISHMENT_GROUNDS


def test_a_listing_is_identified_by_its_list_and_start() -> None:
    assert (
        listing_reference("abnormal_operation", date(2026, 3, 1)) == "abnormal_operation:2026-03-01"
    )


@pytest.mark.parametrize(
    "kind",
    [
        CreditKind.MAJOR_INCIDENT,
        CreditKind.RESEARCH_MISCONDUCT,
        CreditKind.MAJOR_TAX_VIOLATION,
        CreditKind.SUBSTANTIATED_CASE,
        CreditKind.REVOCATION,
    ],
)
def test_a_one_day_fact_covers_its_day_only(kind: CreditKind) -> None:
    # An incident of 2023 is not "on record" in 2025-2026 (§2.4), unlike an open listing.
    day = date(2023, 5, 3)
    assert entry_interval(kind, day, None) == Interval(day, day)
    first, last = lookback_span(2026, 1)
    assert not entry_interval(kind, day, None).overlaps(first, last)


@pytest.mark.parametrize("kind", [CreditKind.ABNORMAL_OPERATION, CreditKind.SERIOUS_DISHONESTY])
def test_a_listing_runs_until_its_removal(kind: CreditKind) -> None:
    assert entry_interval(kind, date(2023, 5, 3), None) == Interval(date(2023, 5, 3))
    assert entry_interval(kind, date(2023, 5, 3), date(2024, 1, 1)).ends_on == date(2024, 1, 1)
