"""Events produced by tracking: quarterly reports and overdue obligations."""

from __future__ import annotations

from typing import ClassVar

from shared.events import topics
from shared.events.envelope import EventPayload
from shared.events.payloads.common import USCC, EvaluationYear, Quarter


class QuarterlyReportSubmitted(EventPayload):
    event_type: ClassVar[str] = "cn.sme.tracking.submitted.v1"
    topic: ClassVar[str] = topics.TRACKING

    uscc: USCC
    year: EvaluationYear
    quarter: Quarter
    late: bool


class QuarterlyReportOverdue(EventPayload):
    event_type: ClassVar[str] = "cn.sme.tracking.overdue.v1"
    topic: ClassVar[str] = topics.TRACKING

    uscc: USCC
    year: EvaluationYear
    quarter: Quarter
    late: bool = True
