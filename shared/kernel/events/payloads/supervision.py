"""Events produced by supervision: cases, revocation decisions and the credit archive.

No personal data of filers ever goes into these events (contract.md, last line).
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from shared.kernel.events import topics
from shared.kernel.events.envelope import EventPayload
from shared.kernel.events.payloads.common import USCC, EvaluationYear

CaseKind = Literal["objection", "complaint", "report"]
RevocationGround = Literal[
    "no_longer_eligible",
    "serious_fraud",
    "research_misconduct",
    "major_incident",
    "credit_listing",
    "failed_spot_check",
]


class CaseFiled(EventPayload):
    event_type: ClassVar[str] = "cn.sme.case.filed.v1"
    topic: ClassVar[str] = topics.SUPERVISION

    case_id: str
    kind: CaseKind
    uscc: USCC
    batch_id: str | None = None
    finding: str | None = None
    # Added: the agency handling the case, and the day it was received (China date).
    agency: str | None = None
    filed_on: date | None = None


class CaseAccepted(EventPayload):
    """Acceptance decision (受理 / 不予受理). A not-accepted objection releases the hold."""

    event_type: ClassVar[str] = "cn.sme.case.accepted.v1"
    topic: ClassVar[str] = topics.SUPERVISION

    case_id: str
    kind: CaseKind
    uscc: USCC
    batch_id: str | None = None
    accepted: bool
    finding: str | None = None
    agency: str | None = None  # added


class CaseConcluded(EventPayload):
    event_type: ClassVar[str] = "cn.sme.case.concluded.v1"
    topic: ClassVar[str] = topics.SUPERVISION

    case_id: str
    kind: CaseKind
    uscc: USCC
    batch_id: str | None = None
    finding: Literal["substantiated", "unsubstantiated"]
    agency: str | None = None  # added
    concluded_on: date | None = None  # added


class RevocationNotified(EventPayload):
    """The enterprise was told the ground and basis of an intended revocation and may state
    its case until `statement_due_on` (告知—陈述申辩, contract § Round 2)."""

    event_type: ClassVar[str] = "cn.sme.revocation.notified.v1"
    topic: ClassVar[str] = topics.SUPERVISION

    revocation_id: str
    number: str
    uscc: USCC
    year: EvaluationYear
    ground: RevocationGround
    basis: str
    notified_on: date
    statement_due_on: date
    agency: str | None = None


class RevocationDecided(EventPayload):
    event_type: ClassVar[str] = "cn.sme.revocation.decided.v1"
    topic: ClassVar[str] = topics.SUPERVISION

    number: str
    uscc: USCC
    year: EvaluationYear
    ground: RevocationGround
    basis: str
    revocation_id: str | None = None
    decided_on: date | None = None
    agency: str | None = None  # added: the agency of the registration


class CreditRecorded(EventPayload):
    """An entry of the credit archive (诚信档案) was recorded or its interval closed.

    `kind`: abnormal_operation | serious_dishonesty (market-supervision lists),
    major_tax_violation, major_incident (detail: safety | quality | environment),
    research_misconduct, substantiated_case (detail: the case kind), revocation (detail: the
    ground). A closed interval is published again with `ends_on` and the same `entry_id`.
    """

    event_type: ClassVar[str] = "cn.sme.credit.recorded.v1"
    topic: ClassVar[str] = topics.CREDIT

    uscc: USCC
    kind: str
    source: str
    starts_on: date
    ends_on: date | None = None
    entry_id: str | None = None
    # Added: what exactly (see `kind`) and the public reason given by the source.
    detail: str | None = None
    reason: str | None = None
