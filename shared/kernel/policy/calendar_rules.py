"""Working-day schedules entered by an administrator (domain.md §5 publicity, deadlines).

The `chinesecalendar` library knows the State Council's holiday schedule only up to the
year of its release. The schedule of a later year (published each November) is entered
here: days off (holidays) and adjusted working days on weekends (调休). The checks of an
entry are the working-day calendar's own (`shared.kernel.calendar.schedules_from_mapping`), so
the policy never accepts a schedule the calendar would refuse.
"""

from __future__ import annotations

from datetime import date

from shared.kernel.calendar.schedule import schedules_from_mapping
from shared.kernel.policy.values import PolicySection


class WorkingDaySchedule(PolicySection):
    holidays: tuple[date, ...] = ()  # days off, weekends inside a holiday block included
    workdays: tuple[date, ...] = ()  # adjusted working days on a weekend (调休)


def check_schedules(schedules: dict[int, WorkingDaySchedule]) -> dict[int, WorkingDaySchedule]:
    """Dates in their own year, none both holiday and workday, workdays on weekends."""
    schedules_from_mapping(
        {year: {"holidays": s.holidays, "workdays": s.workdays} for year, s in schedules.items()}
    )
    return schedules
