"""Working-day arithmetic on the official calendar, the administrator's, and provisional years.

Expected dates are the real 2024–2026 schedules (State Council notices, as shipped in
chinesecalendar 1.11.0); 2027 is unknown to the library.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import date, timedelta

import chinese_calendar
import pytest

from shared.kernel.calendar import (
    CalendarDate,
    DayInfo,
    WorkingDayCalendar,
    YearSchedule,
    working_days,
)

# A made-up 2027 schedule (the real one is not published): 1 Jan (Fri) and 4 Jan (Mon) off,
# Saturday 9 Jan worked in exchange.
SCHEDULE_2027 = YearSchedule(
    2027,
    holidays=frozenset({date(2027, 1, 1), date(2027, 1, 4)}),
    workdays=frozenset({date(2027, 1, 9)}),
)


@pytest.fixture
def cal() -> WorkingDayCalendar:
    return WorkingDayCalendar()


@pytest.fixture
def cal_2027() -> WorkingDayCalendar:
    return WorkingDayCalendar({2027: SCHEDULE_2027})


def _provisional_warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.name == "shared.kernel.calendar" and r.levelno == logging.WARNING
    ]


# --- National Day 2024: 1–7 Oct off, Sun 29 Sep and Sat 12 Oct worked ---------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2024, 9, 28), False),  # Saturday
        (date(2024, 9, 29), True),  # Sunday, adjusted working day
        (date(2024, 9, 30), True),
        (date(2024, 10, 1), False),
        (date(2024, 10, 5), False),  # Saturday inside the holiday
        (date(2024, 10, 7), False),  # Monday, last day off
        (date(2024, 10, 8), True),
        (date(2024, 10, 12), True),  # Saturday, adjusted working day
        (date(2024, 10, 13), False),
    ],
)
def test_national_day_2024_is_official(cal: WorkingDayCalendar, day: date, working: bool) -> None:
    assert cal.day(day) == DayInfo(working=working, provisional=False, source="official")


def test_friday_before_national_day_reaches_sunday_then_jumps_the_holiday(
    cal: WorkingDayCalendar,
) -> None:
    friday = date(2024, 9, 27)
    assert cal.add_working_days(friday, 1) == CalendarDate(date(2024, 9, 29), False)
    assert cal.add_working_days(friday, 2) == CalendarDate(date(2024, 9, 30), False)
    assert cal.add_working_days(friday, 3) == CalendarDate(date(2024, 10, 8), False)


def test_publicity_of_ten_working_days_across_national_day(cal: WorkingDayCalendar) -> None:
    # Starts Wed 25 Sep: 26, 27, 29(Sun), 30, 8, 9, 10, 11, 12(Sat), 14 Oct.
    assert cal.add_working_days(date(2024, 9, 25), 10).value == date(2024, 10, 14)


def test_start_on_a_holiday_counts_from_the_first_day_back(cal: WorkingDayCalendar) -> None:
    assert cal.add_working_days(date(2024, 10, 3), 1).value == date(2024, 10, 8)
    assert cal.add_working_days(date(2024, 10, 3), 5).value == date(2024, 10, 12)
    assert cal.next_working_day(date(2024, 10, 7)).value == date(2024, 10, 8)


def test_start_on_an_ordinary_friday_skips_the_weekend(cal: WorkingDayCalendar) -> None:
    friday = date(2024, 11, 8)
    assert cal.next_working_day(friday) == CalendarDate(date(2024, 11, 11), False)
    assert cal.add_working_days(friday, 5).value == date(2024, 11, 15)
    assert cal.add_working_days(friday, 6).value == date(2024, 11, 18)


def test_working_days_between_across_national_day(cal: WorkingDayCalendar) -> None:
    assert cal.working_days_between(date(2024, 9, 30), date(2024, 10, 8)) == 1
    # 29 Sep, 30 Sep, 8, 9, 10, 11, 12 Oct; the start itself is not counted.
    assert cal.working_days_between(date(2024, 9, 27), date(2024, 10, 12)) == 7
    assert cal.working_days_between(date(2024, 10, 1), date(2024, 10, 7)) == 0
    assert cal.working_days_between(date(2024, 10, 12), date(2024, 10, 1)) == 0


# --- Spring Festival ----------------------------------------------------------------------


def test_spring_festival_2026_with_two_saturdays_worked(cal: WorkingDayCalendar) -> None:
    # 15–23 Feb off; Sat 14 Feb and Sat 28 Feb worked.
    assert cal.next_working_day(date(2026, 2, 13)).value == date(2026, 2, 14)
    assert cal.next_working_day(date(2026, 2, 14)).value == date(2026, 2, 24)
    assert cal.next_working_day(date(2026, 2, 27)).value == date(2026, 2, 28)
    assert cal.working_days_between(date(2026, 2, 13), date(2026, 2, 28)) == 6


def test_review_deadline_of_twenty_working_days_across_spring_festival_2025(
    cal: WorkingDayCalendar,
) -> None:
    # Submitted Mon 20 Jan: 21–24, 26(Sun), 27, [28 Jan–4 Feb off], 5–7, 8(Sat), 10–14,
    # 17–21 Feb.
    deadline = cal.add_working_days(date(2025, 1, 20), 20)
    assert deadline == CalendarDate(date(2025, 2, 21), False)
    assert cal.working_days_between(date(2025, 1, 20), deadline.value) == 20


# --- Into 2027, which chinesecalendar 1.11.0 does not know --------------------------------


def test_library_does_not_know_2027() -> None:
    # If this fails, a newer chinesecalendar knows 2027: move the provisional tests on a year.
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 4))


def test_count_into_2027_is_provisional_weekdays_only_and_logged_once(
    cal: WorkingDayCalendar, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="shared.kernel.calendar")
    # Fri 25 Dec 2026: 28–31 Dec, then 1 Jan 2027 counts as a plain Friday, 4–8 Jan.
    deadline = cal.add_working_days(date(2026, 12, 25), 10)
    assert deadline == CalendarDate(date(2027, 1, 8), provisional=True)
    assert cal.day(date(2027, 1, 1)) == DayInfo(True, True, "provisional")
    assert cal.day(date(2027, 1, 9)) == DayInfo(False, True, "provisional")
    assert cal.count_working_days(date(2026, 12, 31), date(2027, 1, 4)).provisional
    assert cal.working_days_between(date(2026, 12, 31), date(2027, 1, 4)) == 2

    warnings = _provisional_warnings(caplog)
    assert len(warnings) == 1
    assert "2027" in warnings[0].getMessage()
    assert "provisional" in warnings[0].getMessage()


def test_each_unknown_year_is_logged(
    cal: WorkingDayCalendar, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="shared.kernel.calendar")
    cal.add_working_days(date(2026, 12, 31), 300)  # runs through 2027 into 2028
    cal.add_working_days(date(2027, 6, 1), 10)  # both years already warned about
    warnings = _provisional_warnings(caplog)
    assert [r.__dict__["calendar_year"] for r in warnings] == [2027, 2028]
    assert "2028" in warnings[1].getMessage()


def test_the_day_before_new_year_is_not_provisional_and_logs_nothing(
    cal: WorkingDayCalendar, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="shared.kernel.calendar")
    assert cal.add_working_days(date(2026, 12, 30), 1) == CalendarDate(date(2026, 12, 31), False)
    assert cal.working_days_between(date(2026, 12, 1), date(2026, 12, 31)) == 22
    assert not cal.count_working_days(date(2026, 12, 1), date(2026, 12, 31)).provisional
    assert _provisional_warnings(caplog) == []
    # Starting on 31 Dec, the next day examined is in 2027.
    assert cal.add_working_days(date(2026, 12, 31), 1) == CalendarDate(date(2027, 1, 1), True)


def test_years_before_the_library_are_provisional_not_an_error(
    cal: WorkingDayCalendar,
) -> None:
    assert cal.day(date(2003, 12, 31)) == DayInfo(True, True, "provisional")
    # Starting on 31 Dec 2003 examines only 2004 days: 1 Jan is a holiday, 2 Jan is not.
    assert cal.add_working_days(date(2003, 12, 31), 1) == CalendarDate(date(2004, 1, 2), False)
    assert cal.add_working_days(date(2003, 12, 30), 1) == CalendarDate(date(2003, 12, 31), True)


def test_concurrent_requests_log_an_unknown_year_once(
    cal: WorkingDayCalendar, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Services answer requests on several threads; slow the table build down so they all
    # ask for 2027 before the first one has finished it.
    build = working_days._Year.build

    def slow_build(*args: object) -> object:
        time.sleep(0.02)
        return build(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(working_days._Year, "build", slow_build)
    caplog.set_level(logging.WARNING, logger="shared.kernel.calendar")
    start = threading.Barrier(8)

    def request() -> None:
        start.wait()
        cal.add_working_days(date(2026, 12, 30), 5)

    threads = [threading.Thread(target=request) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(_provisional_warnings(caplog)) == 1


def test_same_count_with_an_administrator_schedule_for_2027(
    cal_2027: WorkingDayCalendar, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="shared.kernel.calendar")
    # 28–31 Dec, [1 Jan off], 5–8 Jan, [4 Jan off], 9 Jan (Sat, worked), 11 Jan.
    deadline = cal_2027.add_working_days(date(2026, 12, 25), 10)
    assert deadline == CalendarDate(date(2027, 1, 11), provisional=False)
    assert cal_2027.day(date(2027, 1, 1)) == DayInfo(False, False, "administrator")
    assert cal_2027.day(date(2027, 1, 4)) == DayInfo(False, False, "administrator")
    assert cal_2027.day(date(2027, 1, 9)) == DayInfo(True, False, "administrator")
    assert cal_2027.day(date(2027, 1, 10)) == DayInfo(False, False, "administrator")
    assert cal_2027.working_days_between(date(2026, 12, 31), date(2027, 1, 11)) == 6
    assert _provisional_warnings(caplog) == []


def test_administrator_schedule_does_not_override_the_official_calendar(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="shared.kernel.calendar")
    wrong = YearSchedule(2024, holidays=frozenset({date(2024, 10, 8)}), workdays=frozenset())
    cal = WorkingDayCalendar({2024: wrong})
    assert cal.day(date(2024, 10, 8)) == DayInfo(True, False, "official")
    assert any("2024" in r.getMessage() and "not used" in r.getMessage() for r in caplog.records)


def test_schedule_filed_under_another_year_is_refused() -> None:
    with pytest.raises(ValueError, match="2027 is filed under 2028"):
        WorkingDayCalendar({2028: SCHEDULE_2027})


def test_n_must_be_positive(cal: WorkingDayCalendar) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        cal.add_working_days(date(2024, 10, 8), 0)


# --- Agreement with the library and with a plain day-by-day walk -------------------------


def test_every_official_day_agrees_with_chinesecalendar(cal: WorkingDayCalendar) -> None:
    d = date(2004, 1, 1)
    while d.year <= 2026:
        assert cal.is_working_day(d) == chinese_calendar.is_workday(d), d
        d += timedelta(days=1)


def _walk(cal: WorkingDayCalendar, start: date, n: int) -> date:
    d = start
    while n:
        d += timedelta(days=1)
        n -= cal.is_working_day(d)
    return d


@pytest.mark.parametrize("n", [1, 5, 10, 20, 30, 400])
def test_bisection_matches_a_day_by_day_walk(cal_2027: WorkingDayCalendar, n: int) -> None:
    start = date(2025, 12, 1)
    for offset in range(0, 400, 3):
        s = start + timedelta(days=offset)
        result = cal_2027.add_working_days(s, n).value
        assert result == _walk(cal_2027, s, n), (s, n)
        assert cal_2027.working_days_between(s, result) == n


def test_answers_come_from_precomputed_tables_not_the_library(
    cal: WorkingDayCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The library's is_workday rescans all its entries on every call; per-request use
    # must not reach it.
    def forbidden(*_: object) -> bool:
        raise AssertionError("chinese_calendar called per request")

    for name in ("is_workday", "is_holiday", "find_workday", "get_workdays"):
        monkeypatch.setattr(chinese_calendar, name, forbidden)
    assert cal.add_working_days(date(2024, 9, 27), 3).value == date(2024, 10, 8)
    assert cal.working_days_between(date(2024, 1, 1), date(2024, 12, 31)) > 0
