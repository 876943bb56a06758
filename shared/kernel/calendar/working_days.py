"""Working-day arithmetic on the official Chinese calendar (architecture.md "Time").

Which schedule decides a day, in order:
1. `official` — `chinesecalendar`, when it knows the year;
2. `administrator` — the schedule entered in the policy document for that year;
3. `provisional` — weekdays only. The answer is flagged provisional (users are shown it)
   and the year is logged once at WARNING, so nothing is guessed silently and no review
   fails because next year's schedule is not published yet.

Each year is turned lazily into a per-day table plus cumulative counts, so a deadline or a
count costs a bisection per year touched, whatever the length of the span.
"""

from __future__ import annotations

import logging
import threading
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from itertools import accumulate
from types import MappingProxyType
from typing import Literal

from shared.kernel.calendar.official import official_year
from shared.kernel.calendar.schedule import YearSchedule

logger = logging.getLogger("shared.kernel.calendar")

DaySource = Literal["official", "administrator", "provisional"]


@dataclass(frozen=True, slots=True)
class DayInfo:
    working: bool
    provisional: bool
    source: DaySource


@dataclass(frozen=True, slots=True)
class CalendarDate:
    """A computed date; `provisional` if any day it depends on had no published schedule."""

    value: date
    provisional: bool


@dataclass(frozen=True, slots=True)
class WorkingDayCount:
    value: int
    provisional: bool


@dataclass(frozen=True, slots=True)
class _Year:
    first: date
    source: DaySource
    # working[i] is day i of the year (0 = 1 January);
    # before[i] = working days among days 0..i-1, so before[-1] is the year's total.
    working: tuple[bool, ...]
    before: tuple[int, ...]

    @classmethod
    def build(
        cls, year: int, source: DaySource, holidays: frozenset[date], workdays: frozenset[date]
    ) -> _Year:
        first = date(year, 1, 1)
        length = (date(year + 1, 1, 1) - first).days
        days = (first + timedelta(i) for i in range(length))
        working = tuple(d in workdays or (d.weekday() < 5 and d not in holidays) for d in days)
        return cls(first, source, working, tuple(accumulate(working, initial=0)))

    @property
    def provisional(self) -> bool:
        return self.source == "provisional"

    def index(self, d: date) -> int:
        return (d - self.first).days


@cache
def _official(year: int) -> _Year | None:
    # Shared by all calendars: the official schedule is the same for everyone.
    tables = official_year(year)
    if tables is None:
        return None
    holidays, workdays = tables
    return _Year.build(year, "official", holidays, workdays)


class WorkingDayCalendar:
    """Working days by the official schedule, the administrator's, or weekdays only.

    Build one per policy version and keep it: the per-year tables and the once-per-year
    provisional warning live on the instance.
    """

    def __init__(self, schedules: Mapping[int, YearSchedule] = MappingProxyType({})) -> None:
        for year, schedule in schedules.items():
            if schedule.year != year:
                raise ValueError(f"schedule for {schedule.year} is filed under {year}")
            if official_year(year) is not None:
                logger.info(
                    "Administrator schedule for %d is not used: the official calendar "
                    "(chinesecalendar) knows that year",
                    year,
                )
        self._schedules = dict(schedules)
        self._years: dict[int, _Year] = {}
        self._lock = threading.Lock()

    def day(self, d: date) -> DayInfo:
        year = self._year(d.year)
        return DayInfo(year.working[year.index(d)], year.provisional, year.source)

    def is_working_day(self, d: date) -> bool:
        return self.day(d).working

    def add_working_days(self, start: date, n: int) -> CalendarDate:
        """The n-th working day strictly after `start` (n >= 1)."""
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        year = self._year(start.year)
        done = year.index(start) + 1  # days of this year up to and including start
        remaining = n
        provisional = False
        while True:
            if done < len(year.working):  # some day of this year is examined
                provisional = provisional or year.provisional
            available = year.before[-1] - year.before[done]
            if remaining <= available:
                # before[j] counts days 0..j-1, so the first j reaching the target is one
                # past the day we are looking for.
                j = bisect_left(year.before, year.before[done] + remaining)
                return CalendarDate(year.first + timedelta(j - 1), provisional)
            remaining -= available
            year = self._year(year.first.year + 1)
            done = 0

    def next_working_day(self, d: date) -> CalendarDate:
        """The first working day strictly after `d`."""
        return self.add_working_days(d, 1)

    def count_working_days(self, start: date, end: date) -> WorkingDayCount:
        """Working days in (start, end]; zero if end is not after start."""
        total = 0
        provisional = False
        for y in range(start.year, end.year + 1):
            year = self._year(y)
            lo = year.index(start) + 1 if y == start.year else 0
            hi = year.index(end) + 1 if y == end.year else len(year.working)
            if hi > lo:
                total += year.before[hi] - year.before[lo]
                provisional = provisional or year.provisional
        return WorkingDayCount(total, provisional)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; zero if end is not after start."""
        return self.count_working_days(start, end).value

    def _year(self, year: int) -> _Year:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        with self._lock:  # so the provisional warning is logged exactly once per year
            cached = self._years.get(year)
            if cached is None:
                cached = self._build(year)
                self._years[year] = cached
            return cached

    def _build(self, year: int) -> _Year:
        official = _official(year)
        if official is not None:
            return official
        schedule = self._schedules.get(year)
        if schedule is not None:
            return _Year.build(year, "administrator", schedule.holidays, schedule.workdays)
        logger.warning(
            "No official or administrator calendar for %d: counting weekdays only, so dates "
            "in %d are provisional. Enter the %d schedule (holidays and adjusted working "
            "days) in the policy document's 'calendar' section once it is published.",
            year,
            year,
            year,
            extra={"calendar_year": year},
        )
        return _Year.build(year, "provisional", frozenset(), frozenset())
