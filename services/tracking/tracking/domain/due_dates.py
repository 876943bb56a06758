"""Due dates of quarterly reports under a year's policy (domain.md §8).

Quarter end + `due_days_after_quarter_end` days, calendar days by default (Q1 by 15 April,
Q4 by 15 January of the next year), working days on the official calendar if the policy
says so; a date counted over days no published calendar knows is marked provisional.
"""

from __future__ import annotations

from shared.kernel.calendar.quarters import Counting, Quarter, quarter_due_on
from shared.kernel.calendar.working_days import CalendarDate, WorkingDayCalendar
from shared.kernel.policy.tracking_rules import DayCounting, TrackingPolicy

_COUNTING: dict[DayCounting, Counting] = {
    DayCounting.CALENDAR: "calendar",
    DayCounting.WORKING: "working",
}


def due_date(q: Quarter, tracking: TrackingPolicy, calendar: WorkingDayCalendar) -> CalendarDate:
    return quarter_due_on(
        q.year,
        q.quarter,
        tracking.due_days_after_quarter_end,
        _COUNTING[tracking.day_counting],
        calendar,
    )
