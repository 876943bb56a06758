"""The official schedule as published in `chinesecalendar`.

The library's own `is_workday` recomputes its supported range from all its entries on
every call, which is too slow per request; so its tables are split by year once per
process and the working-day calendar looks days up in those per-year sets.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import chinese_calendar


@cache
def _tables() -> dict[int, tuple[frozenset[date], frozenset[date]]]:
    holidays: dict[int, set[date]] = {}
    workdays: dict[int, set[date]] = {}
    for d in chinese_calendar.holidays:
        holidays.setdefault(d.year, set()).add(d)
    for d in chinese_calendar.workdays:
        workdays.setdefault(d.year, set()).add(d)
    # The library publishes a year as a whole, so the span of its holiday table is the
    # range it knows (the same range its own `_validate_date` accepts).
    first, last = min(holidays), max(holidays)
    return {
        year: (frozenset(holidays.get(year, ())), frozenset(workdays.get(year, ())))
        for year in range(first, last + 1)
    }


def official_years() -> range:
    """The calendar years the installed `chinesecalendar` knows."""
    years = _tables()
    return range(min(years), max(years) + 1)


def official_year(year: int) -> tuple[frozenset[date], frozenset[date]] | None:
    """(holidays, adjusted working days) of `year`, or None if the library does not know it."""
    return _tables().get(year)
