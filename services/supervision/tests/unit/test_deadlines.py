"""Handling deadlines in working days (domain.md §7: accept 5, conclude 30)."""

from __future__ import annotations

from datetime import date

import pytest

from shared.kernel.calendar import WorkingDayCalendar
from shared.kernel.policy import shipped_policy
from shared.kernel.policy.procedure_rules import SupervisionPolicy
from supervision.domain.deadlines import accept_due_on, conclude_due_on, is_overdue

CALENDAR = WorkingDayCalendar()
DEFAULTS = shipped_policy(2026).supervision


def test_the_defaults_are_five_and_thirty_working_days() -> None:
    assert (DEFAULTS.accept_working_days, DEFAULTS.conclude_working_days) == (5, 30)


@pytest.mark.parametrize(
    ("received_on", "due_on"),
    [
        (date(2026, 11, 26), date(2026, 12, 3)),  # Thursday: the day of receipt is not counted
        (date(2026, 11, 27), date(2026, 12, 4)),  # Friday
        (date(2026, 11, 28), date(2026, 12, 4)),  # Saturday: Monday is the first day
        # Across National Day (1-7 October holidays; Saturday 10 October is a working day).
        (date(2026, 9, 29), date(2026, 10, 12)),  # 30 Sep, 8, 9, 10 (Sat), 12 Oct
        (date(2026, 9, 30), date(2026, 10, 13)),
    ],
)
def test_acceptance_deadline(received_on: date, due_on: date) -> None:
    due = accept_due_on(received_on, DEFAULTS, CALENDAR)
    assert due.value == due_on
    assert due.provisional is False


def test_conclusion_deadline_across_the_spring_festival() -> None:
    # Accepted Monday 2026-02-09; Spring Festival 2026: 15-23 February off, Saturday 14 and
    # Saturday 28 February are working days. Weekdays only would give 2026-03-23.
    due = conclude_due_on(date(2026, 2, 9), DEFAULTS, CALENDAR)
    assert due.value == date(2026, 3, 27)
    assert due.provisional is False


def test_a_deadline_in_a_year_without_schedule_is_provisional() -> None:
    due = conclude_due_on(date(2026, 12, 1), DEFAULTS, CALENDAR)
    assert due.provisional is True


def test_the_policy_sets_the_counts() -> None:
    strict = SupervisionPolicy(accept_working_days=1, conclude_working_days=2)
    assert accept_due_on(date(2026, 11, 26), strict, CALENDAR).value == date(2026, 11, 27)
    assert conclude_due_on(date(2026, 11, 27), strict, CALENDAR).value == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("due_on", "today", "overdue"),
    [
        (date(2026, 12, 3), date(2026, 12, 2), False),
        (date(2026, 12, 3), date(2026, 12, 3), False),
        (date(2026, 12, 3), date(2026, 12, 4), True),
        (None, date(2030, 1, 1), False),
    ],
)
def test_overdue_only_after_the_due_day(due_on: date | None, today: date, overdue: bool) -> None:
    assert is_overdue(due_on, today) is overdue
