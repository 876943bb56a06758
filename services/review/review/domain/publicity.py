"""Publicity (公示, domain.md §5.4): N working days on the official calendar, by default
counted from the working day after the start date; the batch may be announced once the
last day has passed."""

from __future__ import annotations

from datetime import date

from shared.kernel.calendar import CalendarDate, WorkingDayCalendar
from shared.kernel.policy.procedure_rules import PublicityCountStart, PublicityPolicy


def default_start(today: date, calendar: WorkingDayCalendar) -> CalendarDate:
    """The contract's default `starts_on`: the next working day."""
    return calendar.next_working_day(today)


def publicity_ends_on(
    starts_on: date, policy: PublicityPolicy, calendar: WorkingDayCalendar
) -> CalendarDate:
    """The last day of publicity (inclusive)."""
    days = policy.working_days
    if policy.count_from is PublicityCountStart.START_DATE and calendar.is_working_day(starts_on):
        # The start date is the first counted day.
        if days == 1:
            return CalendarDate(starts_on, calendar.day(starts_on).provisional)
        return calendar.add_working_days(starts_on, days - 1)
    return calendar.add_working_days(starts_on, days)


def may_announce(today: date, ends_on: date) -> bool:
    """contract: 409 before `ends_on` has passed."""
    return today > ends_on
