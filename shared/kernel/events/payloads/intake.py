"""Events produced by intake: the yearly policy and the application lifecycle."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.kernel.evaluation.form import InformationForm
from shared.kernel.evaluation.result import SelfEvaluation
from shared.kernel.events import topics
from shared.kernel.events.envelope import EventPayload
from shared.kernel.events.payloads.common import USCC, EvaluationYear


class PolicyUpdated(EventPayload):
    """The province changed a year's policy (PUT /policy/{year}); every service applies it."""

    event_type: ClassVar[str] = "cn.sme.policy.updated.v1"
    topic: ClassVar[str] = topics.POLICY
    key_field: ClassVar[str] = "year"

    year: EvaluationYear
    version: int
    policy: dict[str, Any]


class EvidenceDocument(BaseModel):
    """An evidence document's metadata (contract.md Round 2): never its content. The agency
    reads the bytes from intake (`GET /documents/{id}/content`)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    kind: str
    refers_to: str | None = None
    media_type: str
    size: int
    sha256: str = Field(pattern="^[0-9a-f]{64}$")
    # Judged by intake at upload: the content does not parse as its type.
    readable: bool = True
    # Other enterprises that uploaded the same bytes for the same year (at submission).
    reused_by: list[USCC] = Field(default_factory=list)


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
    documents: list[EvidenceDocument] = Field(default_factory=list)


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
