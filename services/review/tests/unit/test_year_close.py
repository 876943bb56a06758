"""The year close at its boundaries (contract § Round 2 "Year close"; 87号: 登记编号当年有效):
a batch must end before the close so that its announcement — the day after its last day —
falls on the close at the latest; nothing is issued after the close."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from review.domain.publicity import may_announce, publicity_ends_on
from review.domain.year_close import ends_in_time, latest_start, may_issue_on
from shared.kernel.calendar import WorkingDayCalendar
from shared.kernel.policy.model import Policy

CLOSE = date(2026, 12, 31)  # the default close of 2026, a Thursday and a working day


@pytest.fixture(scope="module")
def calendar() -> WorkingDayCalendar:
    return WorkingDayCalendar()


def test_a_batch_ending_exactly_on_the_close_is_refused(
    policy: Policy, calendar: WorkingDayCalendar
) -> None:
    # Thu 17 Dec: 10 working days from Fri 18 Dec end on Thu 31 Dec; the announcement would
    # come on 1 January with a number valid until 31 December.
    ends = publicity_ends_on(date(2026, 12, 17), policy.publicity, calendar).value
    assert ends == CLOSE
    assert not ends_in_time(ends, CLOSE)


def test_the_latest_start_ends_on_the_last_working_day_before_the_close(
    policy: Policy, calendar: WorkingDayCalendar
) -> None:
    start = latest_start(CLOSE, policy.publicity, calendar)
    assert start == date(2026, 12, 16)
    ends = publicity_ends_on(start, policy.publicity, calendar).value
    assert ends == date(2026, 12, 30)
    assert ends_in_time(ends, CLOSE)
    # announced on the close itself, the last working day of the year: still in time
    assert may_announce(CLOSE, ends)
    assert may_issue_on(CLOSE, CLOSE)


def test_nothing_is_issued_after_the_close() -> None:
    assert may_issue_on(CLOSE, CLOSE)
    assert not may_issue_on(CLOSE + timedelta(days=1), CLOSE)


def test_a_close_on_a_holiday(policy: Policy, calendar: WorkingDayCalendar) -> None:
    # A province that closes on Sat 3 Oct 2026, inside the National Day holiday: the last
    # batch must end on a working day before it, so the search passes over the holiday.
    close = date(2026, 10, 3)
    assert not calendar.is_working_day(close)
    start = latest_start(close, policy.publicity, calendar)
    assert start is not None
    ends = publicity_ends_on(start, policy.publicity, calendar).value
    assert ends < close
    later = publicity_ends_on(start + timedelta(days=1), policy.publicity, calendar).value
    assert later >= close  # the day after the latest start is too late
