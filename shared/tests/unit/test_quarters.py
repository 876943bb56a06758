"""Quarter arithmetic and quarterly report due dates (domain.md §8)."""

from __future__ import annotations

from datetime import date

import pytest

from shared.kernel.calendar import (
    CalendarDate,
    Quarter,
    WorkingDayCalendar,
    YearSchedule,
    next_quarter,
    quarter_due_on,
    quarter_end,
    quarter_of,
    quarter_start,
)


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (date(2024, 1, 1), Quarter(2024, 1)),
        (date(2024, 3, 31), Quarter(2024, 1)),
        (date(2024, 4, 1), Quarter(2024, 2)),
        (date(2024, 6, 30), Quarter(2024, 2)),
        (date(2024, 7, 1), Quarter(2024, 3)),
        (date(2024, 9, 30), Quarter(2024, 3)),
        (date(2024, 10, 1), Quarter(2024, 4)),
        (date(2024, 12, 31), Quarter(2024, 4)),
    ],
)
def test_quarter_of_first_and_last_days(day: date, quarter: Quarter) -> None:
    assert quarter_of(day) == quarter
    year, q = quarter_of(day)  # also usable as a plain (year, quarter) pair
    assert quarter_start(year, q) <= day <= quarter_end(year, q)


@pytest.mark.parametrize(
    ("q", "start", "end"),
    [
        (1, date(2024, 1, 1), date(2024, 3, 31)),
        (2, date(2024, 4, 1), date(2024, 6, 30)),
        (3, date(2024, 7, 1), date(2024, 9, 30)),
        (4, date(2024, 10, 1), date(2024, 12, 31)),
    ],
)
def test_quarter_bounds(q: int, start: date, end: date) -> None:
    assert quarter_start(2024, q) == start
    assert quarter_end(2024, q) == end


def test_next_quarter_rolls_over_the_year() -> None:
    assert next_quarter(2024, 3) == Quarter(2024, 4)
    assert next_quarter(2024, 4) == Quarter(2025, 1)


@pytest.mark.parametrize("registered", [date(2024, 4, 1), date(2024, 6, 30)])
def test_registration_on_first_or_last_day_reports_that_quarter(registered: date) -> None:
    first = quarter_of(registered)
    assert first == Quarter(2024, 2)
    assert quarter_due_on(*first) == CalendarDate(date(2024, 7, 15), provisional=False)


@pytest.mark.parametrize(
    ("q", "due"),
    [(1, date(2025, 4, 15)), (2, date(2025, 7, 15)), (3, date(2025, 10, 15))],
)
def test_calendar_day_due_dates(q: int, due: date) -> None:
    assert quarter_due_on(2025, q).value == due


def test_q4_is_due_in_january_of_the_next_year_without_needing_a_calendar() -> None:
    # Calendar-day counting never consults a schedule, so 2027 is not provisional here.
    assert quarter_due_on(2026, 4) == CalendarDate(date(2027, 1, 15), provisional=False)
    assert quarter_due_on(2026, 4, days=10).value == date(2027, 1, 10)


def test_working_day_counting_across_national_day() -> None:
    # Q3 2024 ends Mon 30 Sep; 1–7 Oct off, Sat 12 Oct worked:
    # 8–12 (5), 14–18 (10), 21–25 (15).
    due = quarter_due_on(2024, 3, counting="working", calendar=WorkingDayCalendar())
    assert due == CalendarDate(date(2024, 10, 25), provisional=False)


def test_working_day_counting_for_q4_2026_is_provisional_without_a_2027_schedule() -> None:
    # 1 Jan 2027 counted as a plain Friday: 1, 4–8, 11–15, 18–21.
    due = quarter_due_on(2026, 4, counting="working", calendar=WorkingDayCalendar())
    assert due == CalendarDate(date(2027, 1, 21), provisional=True)


def test_working_day_counting_for_q4_2026_with_a_2027_schedule() -> None:
    schedule = YearSchedule(
        2027,
        holidays=frozenset({date(2027, 1, 1), date(2027, 1, 4)}),
        workdays=frozenset({date(2027, 1, 9)}),
    )
    calendar = WorkingDayCalendar({2027: schedule})
    # 5–8 (4), 9 Sat (5), 11–15 (10), 18–22 (15).
    due = quarter_due_on(2026, 4, counting="working", calendar=calendar)
    assert due == CalendarDate(date(2027, 1, 22), provisional=False)


def test_working_day_counting_needs_the_policy_calendar() -> None:
    with pytest.raises(ValueError, match="needs the WorkingDayCalendar"):
        quarter_due_on(2024, 3, counting="working")


@pytest.mark.parametrize("q", [0, 5, -1])
def test_invalid_quarter_is_refused(q: int) -> None:
    with pytest.raises(ValueError, match="quarter must be 1, 2, 3 or 4"):
        quarter_end(2024, q)
    with pytest.raises(ValueError, match="quarter must be 1, 2, 3 or 4"):
        quarter_due_on(2024, q)


def test_invalid_due_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="days must be at least 1"):
        quarter_due_on(2024, 1, days=0)
    with pytest.raises(ValueError, match="counting must be"):
        quarter_due_on(2024, 1, counting="weekdays")  # type: ignore[arg-type]
