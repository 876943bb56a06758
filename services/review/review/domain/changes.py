"""Changes after registration (重大变化报告, contract § Round 2; domain.md Round 2 "Changes").

A registered enterprise reports a change of name, region or size within three months
(policy `supervision.change_report_months`) of the day it took effect; a later report is
accepted and flagged `late`, never refused — the registry is better for knowing.
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 Aug + 3 months = 30 Nov)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def report_due_on(effective_on: date, months: int) -> date:
    return add_months(effective_on, months)


def is_late(effective_on: date, reported_on: date, months: int) -> bool:
    return reported_on > report_due_on(effective_on, months)
