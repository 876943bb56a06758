"""Which quarters a registration owes, and when each report is due (domain.md §8)."""

from __future__ import annotations

from datetime import date

import pytest

from shared.kernel.calendar import WorkingDayCalendar
from shared.kernel.calendar.quarters import Quarter
from shared.kernel.policy import shipped_policy
from tracking.domain.due_dates import due_date
from tracking.domain.reporting_quarters import (
    last_quarter_kept,
    quarter_from_index,
    quarter_index,
    reporting_quarters,
)

TRACKING = shipped_policy(2026).tracking
CALENDAR = WorkingDayCalendar()


def test_registration_on_the_first_day_of_a_quarter_owes_that_quarter() -> None:
    assert reporting_quarters(date(2026, 4, 1), date(2026, 12, 31)) == [
        Quarter(2026, 2),
        Quarter(2026, 3),
        Quarter(2026, 4),
    ]


def test_registration_on_the_last_day_of_a_quarter_owes_that_quarter() -> None:
    assert reporting_quarters(date(2026, 3, 31), date(2026, 6, 30)) == [
        Quarter(2026, 1),
        Quarter(2026, 2),
    ]


def test_a_quarter_ending_after_validity_is_not_owed() -> None:
    assert reporting_quarters(date(2026, 1, 10), date(2026, 12, 30)) == [
        Quarter(2026, 1),
        Quarter(2026, 2),
        Quarter(2026, 3),
    ]


def test_registration_late_in_the_last_quarter_still_owes_it() -> None:
    assert reporting_quarters(date(2025, 11, 10), date(2025, 12, 31)) == [Quarter(2025, 4)]


def test_validity_across_the_new_year_continues_into_next_year() -> None:
    assert reporting_quarters(date(2026, 11, 1), date(2027, 6, 30)) == [
        Quarter(2026, 4),
        Quarter(2027, 1),
        Quarter(2027, 2),
    ]


def test_a_registration_expired_before_its_first_quarter_ends_owes_nothing() -> None:
    assert reporting_quarters(date(2026, 5, 1), date(2026, 6, 29)) == []


@pytest.mark.parametrize(
    ("revoked_on", "last_kept"),
    [
        (date(2026, 5, 20), Quarter(2026, 1)),  # mid-quarter: Q2 is cancelled
        (date(2026, 6, 30), Quarter(2026, 2)),  # on the quarter's last day: Q2 stays
        (date(2026, 7, 1), Quarter(2026, 2)),
        (date(2026, 1, 1), Quarter(2025, 4)),
    ],
)
def test_revocation_keeps_the_quarters_ending_on_or_before_it(
    revoked_on: date, last_kept: Quarter
) -> None:
    assert last_quarter_kept(revoked_on) == last_kept


def test_revocation_mid_quarter_before_registration_is_read_the_same_way() -> None:
    owed = reporting_quarters(date(2026, 1, 10), date(2026, 12, 31), revoked_on=date(2026, 5, 20))
    assert owed == [Quarter(2026, 1)]
    assert all(
        quarter_index(q) <= quarter_index(last_quarter_kept(date(2026, 5, 20))) for q in owed
    )


def test_quarter_index_counts_across_years() -> None:
    assert quarter_index(Quarter(2027, 1)) - quarter_index(Quarter(2026, 4)) == 1
    assert quarter_from_index(quarter_index(Quarter(2026, 3))) == Quarter(2026, 3)


@pytest.mark.parametrize(
    ("quarter", "due"),
    [
        (Quarter(2026, 1), date(2026, 4, 15)),
        (Quarter(2026, 2), date(2026, 7, 15)),
        (Quarter(2026, 3), date(2026, 10, 15)),
        (Quarter(2026, 4), date(2027, 1, 15)),  # Q4 is due in January of the next year
    ],
)
def test_reports_are_due_fifteen_calendar_days_after_the_quarter(
    quarter: Quarter, due: date
) -> None:
    result = due_date(quarter, TRACKING, CALENDAR)
    assert result.value == due
    assert not result.provisional


def test_working_day_counting_skips_weekends_and_holidays() -> None:
    working = TRACKING.model_copy(update={"day_counting": "working"})
    # 2025 Q3 ends on Tuesday 30 September; 1–8 October is the National Day holiday
    # and Saturday 11 October an adjusted working day (official 2025 schedule).
    result = due_date(Quarter(2025, 3), working, CALENDAR)
    assert result.value > date(2025, 10, 15)
    assert CALENDAR.is_working_day(result.value)
    assert CALENDAR.working_days_between(date(2025, 9, 30), result.value) == 15


def test_a_registration_never_valid_owes_nothing() -> None:
    # contract § Round 2 "Year close": a number of 2026 issued in January 2027.
    assert reporting_quarters(date(2027, 1, 4), date(2026, 12, 31)) == []
    # Announced on the close itself: valid that day, so the quarter ending then is owed.
    assert reporting_quarters(date(2026, 12, 31), date(2026, 12, 31)) == [Quarter(2026, 4)]
