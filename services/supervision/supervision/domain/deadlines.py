"""Handling deadlines (办理时限) of supervision cases, in working days (domain.md §7).

- Acceptance: within `accept_working_days` (default 5) working days **after the day the
  case was received** — the day of receipt is not counted, so a case received on a Friday
  has its first day on Monday (or the next working day after a holiday).
- Conclusion: within `conclude_working_days` (default 30) working days **after the day it
  was accepted** (受理之日起).

Both counts come from the yearly policy and run on the official calendar (statutory
holidays and adjusted working days). A deadline in a year without a published schedule is
computed on weekdays and marked provisional (architecture.md "Time").
"""

from __future__ import annotations

from datetime import date

from shared.kernel.calendar.working_days import CalendarDate, WorkingDayCalendar
from shared.kernel.policy.procedure_rules import SupervisionPolicy


def accept_due_on(
    received_on: date, policy: SupervisionPolicy, calendar: WorkingDayCalendar
) -> CalendarDate:
    return calendar.add_working_days(received_on, policy.accept_working_days)


def conclude_due_on(
    accepted_on: date, policy: SupervisionPolicy, calendar: WorkingDayCalendar
) -> CalendarDate:
    return calendar.add_working_days(accepted_on, policy.conclude_working_days)


def is_overdue(due_on: date | None, today: date) -> bool:
    """Overdue once the due day has passed; the due day itself is still in time."""
    return due_on is not None and today > due_on
