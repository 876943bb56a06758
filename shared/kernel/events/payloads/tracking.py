"""Events produced by tracking: quarterly reports and overdue obligations."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from shared.kernel.events import topics
from shared.kernel.events.envelope import EventPayload
from shared.kernel.events.payloads.common import USCC, EvaluationYear, Quarter


class QuarterlyReportSubmitted(EventPayload):
    """A quarterly report (季度报告) was accepted; `late` if filed after its due date."""

    event_type: ClassVar[str] = "cn.sme.tracking.submitted.v1"
    topic: ClassVar[str] = topics.TRACKING

    uscc: USCC
    year: EvaluationYear
    quarter: Quarter
    late: bool
    # Added for subscribers that follow up (the agency in charge, the deadline it missed).
    due_on: date | None = None
    agency: str | None = None
    registration_number: str | None = None
    submitted_at: datetime | None = None
    replaces_earlier: bool = False


class QuarterlyReportOverdue(EventPayload):
    """A quarterly report is missing past its due date (once per obligation)."""

    event_type: ClassVar[str] = "cn.sme.tracking.overdue.v1"
    topic: ClassVar[str] = topics.TRACKING

    uscc: USCC
    year: EvaluationYear
    quarter: Quarter
    late: bool = True
    due_on: date | None = None
    agency: str | None = None
    registration_number: str | None = None
