"""Events produced by review: cases, decisions, publicity, the registry and spot checks."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from shared.kernel.events import topics
from shared.kernel.events.envelope import EventPayload
from shared.kernel.events.payloads.common import USCC, EvaluationYear


class ReviewCaseOpened(EventPayload):
    """A submission reached its agency; intake shows the application as `under_review`."""

    event_type: ClassVar[str] = "cn.sme.review.opened.v1"
    topic: ClassVar[str] = topics.REVIEW

    case_id: str
    application_id: str
    year: EvaluationYear
    uscc: USCC
    agency: str
    opened_at: datetime
    round: int = 1


class ReviewDecided(EventPayload):
    event_type: ClassVar[str] = "cn.sme.review.decided.v1"
    topic: ClassVar[str] = topics.REVIEW

    case_id: str
    application_id: str
    year: EvaluationYear
    uscc: USCC
    decision: Literal["approve", "return", "reject"]
    reason: str | None
    agency: str
    decided_at: datetime | None = None
    # Added: the submission round decided (intake ignores a decision of an older round).
    round: int = 1


class ReviewCaseClosed(EventPayload):
    """The year closed with the case still open (contract § Round 2 "Year close"): review
    will never register it; intake closes the application and announces that with
    `cn.sme.application.closed.v1`."""

    event_type: ClassVar[str] = "cn.sme.review.closed.v1"
    topic: ClassVar[str] = topics.REVIEW

    case_id: str
    application_id: str
    year: EvaluationYear
    uscc: USCC
    agency: str
    reason: Literal["year_closed"]
    closed_at: datetime


class RegistrationChanged(EventPayload):
    """A registered enterprise reported a change (重大变化报告, contract § Round 2). A name
    change is already applied to the registry; `size` means a size condition is no longer
    met, and supervision opens a revocation proposal for the routed agency."""

    event_type: ClassVar[str] = "cn.sme.registration.changed.v1"
    topic: ClassVar[str] = topics.REGISTRATION

    change_id: str
    number: str
    uscc: USCC
    year: EvaluationYear
    agency: str
    kind: Literal["name", "region", "size", "other"]
    old_value: str | None = None
    new_value: str
    effective_on: date
    reported_on: date
    late: bool


class SpotCheckFailed(EventPayload):
    """A year-end spot check (集中抽查) failed: supervision opens a revocation."""

    event_type: ClassVar[str] = "cn.sme.spotcheck.failed.v1"
    topic: ClassVar[str] = topics.REVIEW

    spot_check_id: str
    number: str
    uscc: USCC
    year: EvaluationYear
    agency: str
    notes: str | None = None


class PublicityEntry(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    uscc: USCC
    name: str
    agency: str
    case_id: str | None = None
    application_id: str | None = None


class PublicityStarted(EventPayload):
    event_type: ClassVar[str] = "cn.sme.publicity.started.v1"
    topic: ClassVar[str] = topics.PUBLICITY
    key_field: ClassVar[str] = "batch_id"  # one event per batch; keeps started→announced order

    batch_id: str
    year: EvaluationYear
    starts_on: date
    ends_on: date
    entries: list[PublicityEntry]


class RegisteredEntry(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    uscc: USCC
    number: str
    application_id: str | None = None


class HeldEntry(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    uscc: USCC
    application_id: str | None = None


class PublicityAnnounced(EventPayload):
    event_type: ClassVar[str] = "cn.sme.publicity.announced.v1"
    topic: ClassVar[str] = topics.PUBLICITY
    key_field: ClassVar[str] = "batch_id"

    batch_id: str
    year: EvaluationYear
    registered: list[RegisteredEntry]
    held: list[HeldEntry]


class RegistrationIssued(EventPayload):
    event_type: ClassVar[str] = "cn.sme.registration.issued.v1"
    topic: ClassVar[str] = topics.REGISTRATION

    number: str
    uscc: USCC
    year: EvaluationYear
    region_code: str
    agency: str
    valid_until: date
    registered_on: date
    # Added for subscribers that group or display (tracking statistics, tax lookups).
    enterprise_name: str | None = None
    industry_code: str | None = None
    application_id: str | None = None
    case_id: str | None = None
    batch_id: str | None = None


class RegistrationRevoked(EventPayload):
    event_type: ClassVar[str] = "cn.sme.registration.revoked.v1"
    topic: ClassVar[str] = topics.REGISTRATION

    number: str
    uscc: USCC
    year: EvaluationYear
    ground: str
    revoked_on: date
    # Added for subscribers that track the application (intake).
    application_id: str | None = None
