"""Parsing and checking the administrator's `calendar` section of the policy document."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from shared.kernel.calendar import YearSchedule, schedules_from_mapping


def test_parses_iso_strings_and_yaml_dates() -> None:
    schedules = schedules_from_mapping(
        {
            "2027": {
                "holidays": ["2027-01-01", date(2027, 2, 6)],
                "workdays": ["2027-02-07"],
            },
            2028: {"holidays": ["2028-01-01"]},  # no adjusted working days that year
        }
    )
    assert schedules == {
        2027: YearSchedule(
            2027,
            holidays=frozenset({date(2027, 1, 1), date(2027, 2, 6)}),
            workdays=frozenset({date(2027, 2, 7)}),
        ),
        2028: YearSchedule(2028, holidays=frozenset({date(2028, 1, 1)}), workdays=frozenset()),
    }


def test_empty_mapping_gives_no_schedules() -> None:
    assert schedules_from_mapping({}) == {}


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (
            {"2027": {"holidays": ["2026-12-31"]}},
            r"calendar\.2027\.holidays: 2026-12-31 is not in 2027",
        ),
        (
            {"2027": {"workdays": ["2028-01-08"]}},
            r"calendar\.2027\.workdays: 2028-01-08 is not in 2027",
        ),
        (
            {"2027": {"holidays": ["2027-02-07"], "workdays": ["2027-02-07"]}},
            r"calendar\.2027: 2027-02-07 listed both as holiday and as workday",
        ),
        (
            {"2027": {"workdays": ["2027-02-08"]}},
            r"2027-02-08 is a Monday; adjusted working days \(调休\) are Saturdays or Sundays",
        ),
        (
            {"2027": {"holidays": ["2027-01-01", "2027-13-01"]}},
            r"calendar\.2027\.holidays\[1\]: '2027-13-01' is not a date",
        ),
        ({"2027": {"holidays": ["20270101"]}}, r"'20270101' is not a date \(YYYY-MM-DD\)"),
        (
            {"2027": {"holidays": [datetime(2027, 1, 1, 8, 0)]}},  # noqa: DTZ001
            r"holidays\[0\]: datetime\.datetime\(2027, 1, 1, 8, 0\) is not a date",
        ),
        ({"2027": {"holidays": "2027-01-01"}}, r"holidays: expected a list of dates"),
        ({"2027": {"holiday": ["2027-01-01"]}}, r"unknown key\(s\) holiday"),
        ({"2027": ["2027-01-01"]}, r"calendar\.2027: expected a mapping"),
        ({"27": {}}, r"calendar\.27: the key must be a four-digit year"),
        ({"next": {}}, r"the key must be a four-digit year"),
        ({"2027": {}, 2027: {}}, r"year 2027 is given more than once"),
    ],
)
def test_invalid_schedules_are_refused_with_the_place(
    mapping: dict[Any, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        schedules_from_mapping(mapping)


def test_year_schedule_checks_itself_when_built_directly() -> None:
    with pytest.raises(ValueError, match="2026-10-01 is not in 2027"):
        YearSchedule(2027, holidays=frozenset({date(2026, 10, 1)}), workdays=frozenset())
    with pytest.raises(ValueError, match="listed both"):
        YearSchedule(
            2027,
            holidays=frozenset({date(2027, 2, 6)}),
            workdays=frozenset({date(2027, 2, 6)}),
        )
