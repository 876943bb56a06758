"""Time for the domain: working days on the official Chinese calendar, quarters, the clock."""

from shared.kernel.calendar.clock import CHINA_TZ, Clock, FixedClock, SystemClock, today_in_china
from shared.kernel.calendar.quarters import (
    Quarter,
    next_quarter,
    quarter_due_on,
    quarter_end,
    quarter_of,
    quarter_start,
)
from shared.kernel.calendar.schedule import YearSchedule, schedules_from_mapping
from shared.kernel.calendar.working_days import (
    CalendarDate,
    DayInfo,
    DaySource,
    WorkingDayCalendar,
    WorkingDayCount,
)

__all__ = [
    "CHINA_TZ",
    "CalendarDate",
    "Clock",
    "DayInfo",
    "DaySource",
    "FixedClock",
    "Quarter",
    "SystemClock",
    "WorkingDayCalendar",
    "WorkingDayCount",
    "YearSchedule",
    "next_quarter",
    "quarter_due_on",
    "quarter_end",
    "quarter_of",
    "quarter_start",
    "schedules_from_mapping",
    "today_in_china",
]
