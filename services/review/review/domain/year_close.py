"""The year close (contract § Round 2 "Year close"; 87号: 登记编号当年有效).

A registration number is valid from its announcement to the end of its evaluation year, so
nothing of year Y is registered after Y's close and no number is issued already expired.
The announcement comes the day after the publicity's last day (`may_announce`), so a batch
has to END BEFORE the close for its announcement to fall on the close at the latest.
"""

from __future__ import annotations

from datetime import date, timedelta

from review.domain.publicity import publicity_ends_on
from shared.kernel.calendar import WorkingDayCalendar
from shared.kernel.policy.procedure_rules import PublicityPolicy

# Publicity lasts a handful of working days; around the Spring Festival or National Day a
# start can lie a few weeks before its end. A bound keeps the search finite whatever policy.
_SEARCH_DAYS = 120


def ends_in_time(ends_on: date, year_closes_on: date) -> bool:
    """Whether a batch ending on `ends_on` can still be announced by the close."""
    return ends_on < year_closes_on


def may_issue_on(day: date, year_closes_on: date) -> bool:
    """No number of the year after its close."""
    return day <= year_closes_on


def latest_start(
    year_closes_on: date, policy: PublicityPolicy, calendar: WorkingDayCalendar
) -> date | None:
    """The latest start date whose publicity ends before the close (None if none is found
    within the search bound — a close at the very start of a year)."""
    day = year_closes_on - timedelta(days=1)
    for _ in range(_SEARCH_DAYS):
        if ends_in_time(publicity_ends_on(day, policy, calendar).value, year_closes_on):
            return day
        day -= timedelta(days=1)
    return None
