"""The review deadline (domain.md §5.3): by default 20 working days after submission, on
the official calendar; an undecided case past it is overdue."""

from __future__ import annotations

from datetime import date

from review.domain.status import DECIDABLE, CaseStatus
from shared.kernel.calendar import CalendarDate, WorkingDayCalendar
from shared.kernel.policy.procedure_rules import ReviewPolicy


def review_due_on(
    submitted_on: date, policy: ReviewPolicy, calendar: WorkingDayCalendar
) -> CalendarDate:
    """The last day to decide: N working days after the (China) submission date."""
    return calendar.add_working_days(submitted_on, policy.deadline_working_days)


def is_overdue(status: CaseStatus, due_on: date, today: date) -> bool:
    return status in DECIDABLE and today > due_on
