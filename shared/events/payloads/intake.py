"""Events produced by intake: the yearly policy and the application lifecycle."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal

from shared.evaluation.form import InformationForm
from shared.evaluation.result import SelfEvaluation
from shared.events import topics
from shared.events.envelope import EventPayload
from shared.events.payloads.common import USCC, EvaluationYear


class PolicyUpdated(EventPayload):
    """The province changed a year's policy (PUT /policy/{year}); every service applies it."""

    event_type: ClassVar[str] = "cn.sme.policy.updated.v1"
    topic: ClassVar[str] = topics.POLICY
    key_field: ClassVar[str] = "year"

    year: EvaluationYear
    version: int
    policy: dict[str, Any]


class ApplicationSubmitted(EventPayload):
    event_type: ClassVar[str] = "cn.sme.application.submitted.v1"
    topic: ClassVar[str] = topics.APPLICATION

    application_id: str
    year: EvaluationYear
    uscc: USCC
    form: InformationForm
    self_evaluation: SelfEvaluation
    submitted_at: datetime
    # Added fields (contract: add, never rename).
    round: int = 1  # 1 for the first submission, +1 for each resubmission after a return
    uscc_checksum_ok: bool = True
    policy_version: int | None = None


class ApplicationWithdrawn(EventPayload):
    event_type: ClassVar[str] = "cn.sme.application.withdrawn.v1"
    topic: ClassVar[str] = topics.APPLICATION

    application_id: str
    year: EvaluationYear
    uscc: USCC


class ApplicationClosed(EventPayload):
    """The application's year closed before it was registered (contract § Round 2 "Year
    close"): status `closed`, reason `year_closed`."""

    event_type: ClassVar[str] = "cn.sme.application.closed.v1"
    topic: ClassVar[str] = topics.APPLICATION

    application_id: str
    year: EvaluationYear
    uscc: USCC
    reason: Literal["year_closed"]
    closed_at: datetime
