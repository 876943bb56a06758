"""Review deadlines and publicity periods on the official calendar: across National Day
2025 and Spring Festival 2026 with their adjusted working days (调休), and provisional
when a period runs into a year whose schedule is not published yet (2027)."""

from __future__ import annotations

from datetime import date

import pytest

from review.domain.deadlines import is_overdue, review_due_on
from review.domain.publicity import default_start, may_announce, publicity_ends_on
from review.domain.status import CaseStatus
from shared.kernel.calendar import CalendarDate, WorkingDayCalendar
from shared.kernel.policy.model import Policy
from shared.kernel.policy.procedure_rules import PublicityCountStart, PublicityPolicy


@pytest.fixture(scope="module")
def calendar() -> WorkingDayCalendar:
    return WorkingDayCalendar()


def test_publicity_across_national_day_counts_the_adjusted_sunday_and_saturday(
    policy: Policy, calendar: WorkingDayCalendar
) -> None:
    # Fri 26 Sep 2025: Sun 28 Sep and Sat 11 Oct are worked, 1-8 Oct are off.
    ends = publicity_ends_on(date(2025, 9, 26), policy.publicity, calendar)
    assert ends == CalendarDate(date(2025, 10, 16), provisional=False)


def test_publicity_across_spring_festival_2026(
    policy: Policy, calendar: WorkingDayCalendar
) -> None:
    # Thu 12 Feb 2026: Sat 14 Feb and Sat 28 Feb are worked, 15-23 Feb are off.
    ends = publicity_ends_on(date(2026, 2, 12), policy.publicity, calendar)
    assert ends == CalendarDate(date(2026, 3, 4), provisional=False)


def test_publicity_counts_from_the_working_day_after_the_start_by_default(
    policy: Policy, calendar: WorkingDayCalendar
) -> None:
    assert policy.publicity.count_from is PublicityCountStart.NEXT_WORKING_DAY
    # Mon 2 Mar 2026 itself does not count: 3-6, 9-13, 16 Mar.
    assert publicity_ends_on(date(2026, 3, 2), policy.publicity, calendar).value == date(
        2026, 3, 16
    )


def test_publicity_may_count_the_start_date_when_the_policy_says_so(
    calendar: WorkingDayCalendar,
) -> None:
    rule = PublicityPolicy(working_days=10, count_from=PublicityCountStart.START_DATE)
    assert publicity_ends_on(date(2026, 3, 2), rule, calendar).value == date(2026, 3, 13)
    # A start on a Sunday is not a working day: counting begins on Monday.
    assert publicity_ends_on(date(2026, 3, 1), rule, calendar).value == date(2026, 3, 13)


def test_publicity_into_an_unpublished_year_is_provisional(
    policy: Policy, calendar: WorkingDayCalendar
) -> None:
    ends = publicity_ends_on(date(2026, 12, 25), policy.publicity, calendar)
    # 28-31 Dec, then weekdays only in 2027 (1 Jan counted: no schedule known).
    assert ends == CalendarDate(date(2027, 1, 8), provisional=True)


def test_default_start_is_the_next_working_day(calendar: WorkingDayCalendar) -> None:
    # Tue 30 Sep 2025 → National Day → Thu 9 Oct.
    assert default_start(date(2025, 9, 30), calendar).value == date(2025, 10, 9)
    # Fri 13 Feb 2026 → the adjusted Saturday 14 Feb is a working day.
    assert default_start(date(2026, 2, 13), calendar).value == date(2026, 2, 14)


def test_announcement_only_after_the_last_day(policy: Policy) -> None:
    ends_on = date(2025, 10, 16)
    assert not may_announce(date(2025, 10, 15), ends_on)
    assert not may_announce(ends_on, ends_on)
    assert may_announce(date(2025, 10, 17), ends_on)


def test_review_deadline_of_twenty_working_days_skips_national_day(
    policy: Policy, calendar: WorkingDayCalendar
) -> None:
    assert policy.review.deadline_working_days == 20
    due = review_due_on(date(2025, 9, 30), policy.review, calendar)
    assert due == CalendarDate(date(2025, 11, 4), provisional=False)


def test_review_deadline_into_2027_is_provisional(
    policy: Policy, calendar: WorkingDayCalendar
) -> None:
    assert review_due_on(date(2026, 12, 20), policy.review, calendar).provisional


def test_only_undecided_cases_become_overdue() -> None:
    due = date(2025, 11, 4)
    assert not is_overdue(CaseStatus.PENDING, due, due)
    assert is_overdue(CaseStatus.PENDING, due, date(2025, 11, 5))
    assert is_overdue(CaseStatus.ONSITE_REQUIRED, due, date(2025, 11, 5))
    assert not is_overdue(CaseStatus.APPROVED, due, date(2025, 11, 5))
    assert not is_overdue(CaseStatus.WITHDRAWN, due, date(2025, 11, 5))
