"""The three-month rule of change reports (contract § Round 2) at its boundary."""

from __future__ import annotations

from datetime import date

from review.domain.changes import add_months, is_late, report_due_on


def test_three_months_after_the_change_the_day_itself_is_in_time() -> None:
    assert report_due_on(date(2026, 6, 15), 3) == date(2026, 9, 15)
    assert not is_late(date(2026, 6, 15), date(2026, 9, 15), 3)
    assert is_late(date(2026, 6, 15), date(2026, 9, 16), 3)


def test_month_ends_and_the_turn_of_the_year() -> None:
    assert add_months(date(2026, 8, 31), 3) == date(2026, 11, 30)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 29), 3) == date(2028, 2, 29)
