"""Calendar quarters and quarterly report due dates (domain.md §8).

Reports are due a number of days after the quarter ends — calendar days by default (Q1 by
15 April … Q4 by 15 January of the next year), working days if the policy says so.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal, NamedTuple

from shared.kernel.calendar.working_days import CalendarDate, WorkingDayCalendar

Counting = Literal["calendar", "working"]


class Quarter(NamedTuple):
    year: int
    quarter: int  # 1..4


def quarter_of(d: date) -> Quarter:
    return Quarter(d.year, (d.month - 1) // 3 + 1)


def quarter_start(year: int, quarter: int) -> date:
    _check(quarter)
    return date(year, 3 * quarter - 2, 1)


def quarter_end(year: int, quarter: int) -> date:
    _check(quarter)
    # The day before the next quarter starts: no month-length table needed.
    following = next_quarter(year, quarter)
    return quarter_start(*following) - timedelta(days=1)


def next_quarter(year: int, quarter: int) -> Quarter:
    _check(quarter)
    return Quarter(year + 1, 1) if quarter == 4 else Quarter(year, quarter + 1)


def quarter_due_on(
    year: int,
    quarter: int,
    days: int = 15,
    counting: Counting = "calendar",
    calendar: WorkingDayCalendar | None = None,
) -> CalendarDate:
    """Last day to report `quarter`: its end plus `days` calendar or working days.

    Working-day counting needs the caller's calendar, because only it carries the
    administrator schedules; a default one would turn next January provisional unnoticed.
    """
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    end = quarter_end(year, quarter)
    if counting == "calendar":
        return CalendarDate(end + timedelta(days=days), provisional=False)
    if counting == "working":
        if calendar is None:
            raise ValueError("counting='working' needs the WorkingDayCalendar of the policy")
        return calendar.add_working_days(end, days)
    raise ValueError(f"counting must be 'calendar' or 'working', got {counting!r}")


def _check(quarter: int) -> None:
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1, 2, 3 or 4, got {quarter}")
