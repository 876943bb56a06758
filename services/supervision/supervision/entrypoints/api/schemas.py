"""Request and response shapes of the supervision API (contract.md "supervision").

Requests refuse unknown fields. Two response shapes for cases: the public one (what a
filer gets back: no personal data, no handling notes) and the staff one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from shared.kernel import text
from shared.kernel.events.payloads.common import USCC
from shared.kernel.events.payloads.supervision import RevocationGround
from shared.platform.web.openapi import closed_set
from supervision.adapters.tables import CaseRow, CaseStepRow, CreditEntryRow, RevocationRow
from supervision.domain.cases import CaseKind, CaseStatus, Finding
from supervision.domain.credit import CreditKind, CreditSource
from supervision.domain.deadlines import is_overdue
from supervision.domain.identity import ANONYMOUS, FILED_AS, EvidenceKind, FilerType
from supervision.domain.revocation import RevocationOrigin, RevocationStatus

_REQUEST = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class RequestModel(BaseModel):
    """A request body: unknown fields refused, text without NUL characters (PostgreSQL
    cannot store U+0000 in text or JSONB; it would fail as a 500, not as bad input)."""

    model_config = _REQUEST

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise PydanticCustomError(
                "text_nul", "不能包含空字符（U+0000） / must not contain NUL characters (U+0000)"
            )
        return value


# Reasons and facts keep their line breaks; names and references are one line.
ShortText = Annotated[text.LongText, Field(min_length=1, max_length=2000)]
LongText = Annotated[text.LongText, Field(max_length=5000)]
Line = text.SingleLineText


class EvidenceIn(RequestModel):
    """An evidence item (证据): a description and where to find it. A plain string is taken
    as the description of a document."""

    kind: EvidenceKind = EvidenceKind.DOCUMENT
    description: Annotated[text.LongText, Field(min_length=1, max_length=1000)]
    reference: Annotated[Line | None, Field(max_length=500)] = None


def _evidence_item(value: Any) -> Any:
    return {"description": value} if isinstance(value, str) else value


class FilerIn(RequestModel):
    """Who files. Personal data: shown only to the staff handling the case."""

    type: FilerType
    name: Annotated[Line | None, Field(min_length=1, max_length=100)] = None
    phone: Annotated[Line | None, Field(min_length=1, max_length=30)] = None
    organisation: Annotated[Line | None, Field(min_length=1, max_length=200)] = None


class CaseIn(RequestModel):
    kind: CaseKind
    subject_uscc: USCC
    batch_id: Annotated[str | None, Field(min_length=1, max_length=64)] = None
    grounds: ShortText
    facts: LongText = ""
    evidence: Annotated[list[EvidenceIn], Field(max_length=20)] = []
    filer: FilerIn | None = None

    @field_validator("evidence", mode="before")
    @classmethod
    def _plain_strings(cls, value: Any) -> Any:
        return [_evidence_item(v) for v in value] if isinstance(value, list) else value


class AcceptIn(RequestModel):
    """contract.md: `POST /cases/{id}/accept` accepts; `{"accepted": false, "reason"}` not."""

    accepted: bool = True
    reason: ShortText | None = None

    @model_validator(mode="after")
    def _reason_when_refused(self) -> AcceptIn:
        if not self.accepted and not self.reason:
            raise PydanticCustomError(
                "reason_required",
                "不予受理须说明理由 / a reason is required when the case is not accepted",
                {"field": ("reason",)},
            )
        return self


class ConcludeIn(RequestModel):
    finding: Finding
    measures: Annotated[text.LongText | None, Field(min_length=1, max_length=5000)] = None

    @model_validator(mode="after")
    def _measures_when_substantiated(self) -> ConcludeIn:
        if self.finding is Finding.SUBSTANTIATED and not self.measures:
            raise PydanticCustomError(
                "measures_required",
                "查实的案件须写明处理措施 / a substantiated case needs the measures taken",
                {"field": ("measures",)},
            )
        return self


class RevocationIn(RequestModel):
    registration_number: Annotated[str, Field(min_length=1, max_length=40)]
    ground: RevocationGround
    basis: Annotated[text.LongText, Field(min_length=1, max_length=5000)]
    skip_statement: bool = Field(
        default=False,
        description="不经陈述申辩直接撤销，仅限信用名单、重大事故（其他机关已作最终决定） / revoke "
        "without a statement; only for credit_listing and major_incident",
    )


class ConfirmIn(RequestModel):
    basis: Annotated[str | None, Field(min_length=1, max_length=5000)] = None
    skip_statement: bool = Field(
        default=False,
        description="不经陈述申辩直接撤销，仅限信用名单、重大事故 / revoke without a statement; "
        "only for credit_listing and major_incident",
    )


class StatementIn(RequestModel):
    text: Annotated[
        str,
        Field(
            min_length=1,
            max_length=20000,
            description="企业的陈述申辩 / the enterprise's statement of its case",
        ),
    ]


class RevocationDecisionIn(RequestModel):
    decision: Literal["revoke", "dismiss"] = Field(description="撤销或不予撤销 / revoke or dismiss")
    reason: Annotated[
        str, Field(min_length=1, max_length=5000, description="决定理由 / reason of the decision")
    ]


class DismissIn(RequestModel):
    reason: ShortText


# -- responses -------------------------------------------------------------------------------


class CasePublicOut(BaseModel):
    """What the filer (or anyone without a staff role) gets back."""

    id: str
    kind: Annotated[str, closed_set(CaseKind)]
    subject_uscc: str
    batch_id: str | None
    status: Annotated[str, closed_set(CaseStatus)]
    finding: Annotated[str, closed_set(Finding)] | None
    due_on: date | None
    filed_on: date

    @classmethod
    def of(cls, row: CaseRow) -> CasePublicOut:
        return cls(
            id=str(row.id),
            kind=row.kind,
            subject_uscc=row.subject_uscc,
            batch_id=row.batch_id,
            status=row.status,
            finding=row.finding,
            due_on=row.due_on,
            filed_on=row.filed_on,
        )


class CaseOut(CasePublicOut):
    """The staff view (agency of jurisdiction, province); without the filer's identity."""

    year: int
    agency: str
    subject_name: str | None
    grounds: str
    facts: str
    evidence: list[dict[str, Any]]
    filer_type: Annotated[str, closed_set(FILED_AS)]
    anonymous: bool
    accept_due_on: date
    conclude_due_on: date | None
    due_on_provisional: bool
    overdue: bool
    accepted_on: date | None
    not_accepted_reason: str | None
    measures: str | None
    concluded_on: date | None
    filed_at: datetime

    @classmethod
    def of_staff(cls, row: CaseRow, today: date) -> CaseOut:
        provisional = (
            row.conclude_due_provisional
            if row.conclude_due_on is not None
            else row.accept_due_provisional
        )
        return cls(
            **CasePublicOut.of(row).model_dump(),
            year=row.year,
            agency=row.agency,
            subject_name=row.subject_name,
            grounds=row.grounds,
            facts=row.facts,
            evidence=row.evidence,
            filer_type=row.filer_type,
            anonymous=row.filer_type == ANONYMOUS,
            accept_due_on=row.accept_due_on,
            conclude_due_on=row.conclude_due_on,
            due_on_provisional=row.due_on is not None and provisional,
            overdue=is_overdue(row.due_on, today),
            accepted_on=row.accepted_on,
            not_accepted_reason=row.not_accepted_reason,
            measures=row.measures,
            concluded_on=row.concluded_on,
            filed_at=row.filed_at,
        )


class FilerOut(BaseModel):
    type: str
    name: str | None
    phone: str | None
    organisation: str | None


class CaseStepOut(BaseModel):
    at: datetime
    step: str
    actor_role: str | None
    actor_org: str | None
    note: str | None


class CaseDetailOut(CaseOut):
    """One case for the staff handling it: with the filer's identity and the history."""

    filer: FilerOut | None
    history: list[CaseStepOut]

    @classmethod
    def of_detail(cls, row: CaseRow, steps: list[CaseStepRow], today: date) -> CaseDetailOut:
        filer = (
            None
            if row.filer_type == ANONYMOUS
            else FilerOut(
                type=row.filer_type,
                name=row.filer_name,
                phone=row.filer_phone,
                organisation=row.filer_organisation,
            )
        )
        return cls(
            **CaseOut.of_staff(row, today).model_dump(),
            filer=filer,
            history=[
                CaseStepOut(
                    at=s.at,
                    step=s.step,
                    actor_role=s.actor_role,
                    actor_org=s.actor_org,
                    note=s.note,
                )
                for s in steps
            ],
        )


class CreditEntryOut(BaseModel):
    entry_id: str
    uscc: str
    kind: Annotated[str, closed_set(CreditKind)]
    source: Annotated[str, closed_set(CreditSource)]
    detail: str | None
    reason: str | None
    starts_on: date
    ends_on: date | None
    active: bool
    recorded_at: datetime

    @classmethod
    def of(cls, row: CreditEntryRow, today: date) -> CreditEntryOut:
        return cls(
            entry_id=str(row.id),
            uscc=row.uscc,
            kind=row.kind,
            source=row.source,
            detail=row.detail,
            reason=row.reason,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            active=row.starts_on <= today and (row.ends_on is None or row.ends_on >= today),
            recorded_at=row.created_at,
        )


class CreditArchiveOut(BaseModel):
    uscc: str
    items: list[CreditEntryOut]
    next_cursor: str | None = None


class RevocationOut(BaseModel):
    id: str
    registration_number: str
    uscc: str
    year: int
    agency: str
    ground: Annotated[str, closed_set(RevocationGround)]
    basis: str
    status: Annotated[str, closed_set(RevocationStatus)]
    origin: Annotated[str, closed_set(RevocationOrigin)]
    evidence: list[dict[str, Any]]
    proposed_by: str | None
    decided_on: date | None
    dismissed_reason: str | None
    superseded_by: str | None
    applied_on: date | None
    notified_on: date | None = Field(default=None, description="告知日期 / date of the notice")
    statement_due_on: date | None = Field(
        default=None, description="陈述申辩截止日 / last day for the statement"
    )
    statement: str | None = Field(default=None, description="企业陈述申辩 / the statement")
    stated_at: datetime | None = Field(default=None, description="陈述时间 / when it was made")
    skip_statement: bool = Field(
        default=False, description="未经陈述申辩 / decided without a statement"
    )
    decision_reason: str | None = Field(default=None, description="决定理由 / decision reason")
    created_at: datetime

    @classmethod
    def of(cls, row: RevocationRow) -> RevocationOut:
        return cls(
            id=str(row.id),
            registration_number=row.number,
            uscc=row.uscc,
            year=row.year,
            agency=row.agency,
            ground=row.ground,
            basis=row.basis,
            status=row.status,
            origin=row.origin,
            evidence=row.evidence,
            proposed_by=row.proposed_by,
            decided_on=row.decided_on,
            dismissed_reason=row.dismissed_reason,
            superseded_by=str(row.superseded_by) if row.superseded_by else None,
            applied_on=row.applied_on,
            notified_on=row.notified_on,
            statement_due_on=row.statement_due_on,
            statement=row.statement,
            stated_at=row.stated_at,
            skip_statement=row.skip_statement,
            decision_reason=row.decision_reason,
            created_at=row.created_at,
        )


# The list filters take the domain's own enums (one copy of each status list).
RevocationStatusFilter = RevocationStatus
CaseStatusFilter = CaseStatus
