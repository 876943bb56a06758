"""Administrator-entered official schedules (architecture.md "Time").

The State Council publishes next year's holidays and adjusted working days (调休) each
November, usually before `chinesecalendar` ships a release that knows them. Until then an
administrator copies the notice into the policy document's `calendar` section:

    calendar:
      "2027":
        holidays: ["2027-01-01", ...]   # days off, weekends inside a holiday block included
        workdays: ["2027-02-07", ...]   # weekend days that are working days (调休)

A wrong entry would move every deadline silently, so the mapping is checked strictly and
each problem is reported with its place in the document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

_SECTION = "calendar"
_KEYS = frozenset({"holidays", "workdays"})
# Only the form the notices use; date.fromisoformat would also take 20270101 or 2027-W01-1.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class YearSchedule:
    """The official schedule of one calendar year as entered by an administrator."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]

    def __post_init__(self) -> None:
        where = f"{_SECTION}.{self.year}"
        for kind, days in (("holidays", self.holidays), ("workdays", self.workdays)):
            for d in sorted(days):
                if d.year != self.year:
                    raise ValueError(
                        f"{where}.{kind}: {d.isoformat()} is not in {self.year}; "
                        f"each year's schedule lists only that year's dates"
                    )
        both = sorted(self.holidays & self.workdays)
        if both:
            listed = ", ".join(d.isoformat() for d in both)
            raise ValueError(f"{where}: {listed} listed both as holiday and as workday")
        for d in sorted(self.workdays):
            # A weekday is a working day anyway; listing one is almost surely a typo for
            # the weekend day the notice meant, so refuse it rather than ignore it.
            if d.weekday() < 5:
                raise ValueError(
                    f"{where}.workdays: {d.isoformat()} is a {d.strftime('%A')}; "
                    f"adjusted working days (调休) are Saturdays or Sundays"
                )


def schedules_from_mapping(mapping: Mapping[Any, object]) -> dict[int, YearSchedule]:
    """Parse the policy document's `calendar` mapping, keyed by year.

    Dates may be ISO strings or `date` objects (YAML turns unquoted dates into dates).
    Raises ValueError naming the offending entry.
    """
    schedules: dict[int, YearSchedule] = {}
    for key, entry in mapping.items():
        year = _year(key)
        where = f"{_SECTION}.{key}"
        if year in schedules:
            raise ValueError(f"{where}: year {year} is given more than once")
        if not isinstance(entry, Mapping):
            raise ValueError(f"{where}: expected a mapping with 'holidays' and 'workdays'")
        unknown = sorted(str(k) for k in entry if k not in _KEYS)
        if unknown:
            raise ValueError(
                f"{where}: unknown key(s) {', '.join(unknown)}; "
                f"allowed are 'holidays' and 'workdays'"
            )
        schedules[year] = YearSchedule(
            year=year,
            holidays=_dates(entry.get("holidays", ()), f"{where}.holidays"),
            workdays=_dates(entry.get("workdays", ()), f"{where}.workdays"),
        )
    return schedules


def _year(key: object) -> int:
    text = str(key)
    if isinstance(key, bool) or not text.isdigit() or len(text) != 4:
        raise ValueError(f"{_SECTION}.{key}: the key must be a four-digit year such as 2027")
    return int(text)


def _dates(values: object, where: str) -> frozenset[date]:
    if values is None:
        return frozenset()
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ValueError(f"{where}: expected a list of dates (YYYY-MM-DD)")
    return frozenset(_date(value, f"{where}[{i}]") for i, value in enumerate(values))


def _date(value: object, where: str) -> date:
    # datetime is a subclass of date; a time of day here means the entry is wrong.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{where}: {value!r} is not a date (YYYY-MM-DD)")
