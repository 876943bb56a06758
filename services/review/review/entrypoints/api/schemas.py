"""Request and response shapes of the review API (contract.md "review", "Resources")."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from review.adapters.tables import (
    CaseHistoryRow,
    PublicityBatchRow,
    RegistrationRow,
    ReviewCaseRow,
    SpotCheckItemRow,
    SpotCheckRow,
    WarningRow,
)
from review.domain import onsite
from review.domain.deadlines import is_overdue
from review.domain.registration import verified_status
from review.domain.status import BatchStatus, CaseStatus, RegistrationStatus
from shared.kernel.events.payloads.supervision import RevocationGround
from shared.kernel.policy.model import EARLIEST_YEAR, LATEST_YEAR
from shared.kernel.policy.warning_rules import Severity
from shared.kernel.text import LongText
from shared.platform.web.openapi import closed_set

_IN = ConfigDict(extra="forbid", str_strip_whitespace=True)
Year = Annotated[int, Field(ge=EARLIEST_YEAR, le=LATEST_YEAR)]
Text = Annotated[LongText, Field(max_length=2000)]


# -- requests ---------------------------------------------------------------------------
class DecisionIn(BaseModel):
    model_config = _IN
    decision: Literal["approve", "return", "reject"]
    reason: Text | None = None
    # One note for every open `warn` warning, or one per warning code.
    notes: Text | dict[Annotated[str, Field(max_length=60)], Text] | None = None


class OnsiteCheckIn(BaseModel):
    model_config = _IN
    result: Literal["passed", "failed"]
    notes: Text | None = None


class BatchIn(BaseModel):
    model_config = _IN
    year: Year
    case_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=20_000)]
    starts_on: date | None = None

    @field_validator("case_ids")
    @classmethod
    def _no_repeats(cls, v: list[uuid.UUID]) -> list[uuid.UUID]:
        if len(set(v)) != len(v):
            raise ValueError("case_ids 中有重复的案件 / case_ids lists a case twice")
        return v


class SpotCheckIn(BaseModel):
    model_config = _IN
    year: Year
    ratio: Annotated[Decimal, Field(gt=0, le=1, max_digits=5, decimal_places=4)] | None = None
    seed: Annotated[str, Field(min_length=1, max_length=100)] | None = None


class SpotCheckResultIn(BaseModel):
    model_config = _IN
    registration_number: Annotated[str, Field(min_length=1, max_length=40)]
    result: Literal["passed", "failed"]
    notes: Text | None = None


# -- responses --------------------------------------------------------------------------
class WarningOut(BaseModel):
    code: str
    severity: Annotated[str, closed_set(Severity)]
    message: str
    message_en: str
    resolved: bool
    resolution: str | None = None
    note: str | None = None
    subject: str = ""
    data: dict[str, Any] = {}
    raised_at: datetime

    @classmethod
    def of(cls, row: WarningRow) -> WarningOut:
        return cls(
            code=row.code,
            severity=row.severity,
            message=row.message,
            message_en=row.message_en,
            resolved=row.resolved,
            resolution=row.resolution,
            note=row.note,
            subject=row.subject,
            data=row.data,
            raised_at=row.raised_at,
        )


class HistoryOut(BaseModel):
    at: datetime
    action: str
    status: Annotated[str, closed_set(CaseStatus)]
    actor: str | None = None
    reason: str | None = None


class EvidenceOut(BaseModel):
    """An evidence document of the case (metadata; the bytes are read from intake)."""

    id: str = Field(description="材料编号 / document id")
    kind: str = Field(description="材料类型 / document kind")
    refers_to: str | None = Field(
        default=None, description="所证明的信息表条目 / the form item it proves"
    )
    media_type: str = Field(description="按内容判断的类型 / type judged by content")
    size: int = Field(description="字节数 / size in bytes")
    sha256: str = Field(description="内容的SHA-256 / SHA-256 of the content")
    readable: bool = Field(description="内容能否按其类型解析 / whether it parses as its type")
    content_url: str = Field(
        description="读取内容（经网关，由信息填报服务提供，读取留痕）/ where to read the bytes "
        "(through the gateway, served by intake, every read audited)"
    )

    @classmethod
    def of(cls, document: dict[str, Any]) -> EvidenceOut:
        return cls(
            id=document["id"],
            kind=document["kind"],
            refers_to=document.get("refers_to"),
            media_type=document["media_type"],
            size=document["size"],
            sha256=document["sha256"],
            readable=document.get("readable", True),
            content_url=f"/api/v1/documents/{document['id']}/content",
        )


class CaseOut(BaseModel):
    id: str
    application_id: str
    year: int
    uscc: str
    enterprise_name: str
    region_code: str
    industry_code: str
    agency: str
    status: Annotated[str, closed_set(CaseStatus)]
    round: int
    warnings: list[WarningOut]
    onsite: dict[str, Any]
    score: dict[str, Any]
    self_evaluation: dict[str, Any]
    submitted_at: datetime
    due_on: date
    due_on_provisional: bool
    overdue: bool
    decision: dict[str, Any] | None = None
    batch_id: str | None = None
    registration_number: str | None = None
    form: dict[str, Any] | None = None
    history: list[HistoryOut] | None = None
    documents: list[EvidenceOut] | None = Field(
        default=None,
        description="证明材料（元数据，仅在单个案件中）/ evidence documents (metadata; in the "
        "single case only)",
    )

    @classmethod
    def of(
        cls,
        row: ReviewCaseRow,
        warnings: list[WarningRow],
        today: date,
        *,
        history: list[CaseHistoryRow] | None = None,
    ) -> CaseOut:
        detailed = history is not None
        return cls(
            id=str(row.id),
            application_id=str(row.application_id),
            year=row.year,
            uscc=row.uscc,
            enterprise_name=row.enterprise_name,
            region_code=row.region_code,
            industry_code=row.industry_code,
            agency=row.agency,
            status=row.status,
            round=row.round,
            warnings=[WarningOut.of(w) for w in warnings],
            onsite={
                "required": bool(row.onsite_triggers),
                "triggers": onsite.describe(row.onsite_triggers),
                "result": row.onsite_result,
                "notes": row.onsite_notes,
                "recorded_at": row.onsite_recorded_at,
            },
            score=row.score,
            self_evaluation=row.self_evaluation,
            submitted_at=row.submitted_at,
            due_on=row.due_on,
            due_on_provisional=row.due_on_provisional,
            overdue=is_overdue(CaseStatus(row.status), row.due_on, today),
            decision=None
            if row.decision is None
            else {
                "decision": row.decision,
                "reason": row.decision_reason,
                "decided_at": row.decided_at,
                "decided_by": row.decided_by,
            },
            batch_id=str(row.batch_id) if row.batch_id else None,
            registration_number=row.registration_number,
            form=row.form if detailed else None,
            documents=[EvidenceOut.of(d) for d in row.documents] if detailed else None,
            history=[
                HistoryOut(
                    at=h.at, action=h.action, status=h.status, actor=h.actor, reason=h.reason
                )
                for h in history
            ]
            if history is not None
            else None,
        )


class BatchEntryOut(BaseModel):
    case_id: str
    application_id: str
    uscc: str
    enterprise_name: str
    region_code: str
    agency: str
    state: Annotated[str, closed_set(CaseStatus)]
    registration_number: str | None = None


class BatchOut(BaseModel):
    id: str
    year: int
    starts_on: date
    ends_on: date
    ends_on_provisional: bool
    status: Annotated[str, closed_set(BatchStatus)]
    announced_on: date | None = None
    entries: list[BatchEntryOut]
    registered: int | None = None  # set by the announcement
    held: int | None = None

    @classmethod
    def of(cls, row: PublicityBatchRow, entries: list[BatchEntryOut]) -> BatchOut:
        return cls(
            id=str(row.id),
            year=row.year,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            ends_on_provisional=row.ends_on_provisional,
            status=row.status,
            announced_on=row.announced_on,
            entries=entries,
        )


class BatchSummaryOut(BaseModel):
    id: str
    year: int
    starts_on: date
    ends_on: date
    ends_on_provisional: bool
    status: Annotated[str, closed_set(BatchStatus)]
    announced_on: date | None = None


class RegistrationOut(BaseModel):
    number: str
    uscc: str
    year: int
    enterprise_name: str
    region_code: str
    industry_code: str
    agency: str
    registered_on: date
    valid_until: date
    status: Annotated[str, closed_set(RegistrationStatus)]
    revoked_on: date | None = None
    revocation_ground: Annotated[str, closed_set(RevocationGround)] | None = None

    @classmethod
    def of(cls, row: RegistrationRow, today: date) -> RegistrationOut:
        return cls(
            number=row.number,
            uscc=row.uscc,
            year=row.year,
            enterprise_name=row.enterprise_name,
            region_code=row.region_code,
            industry_code=row.industry_code,
            agency=row.agency,
            registered_on=row.registered_on,
            valid_until=row.valid_until,
            status=verified_status(row.status, row.valid_until, today).value,
            revoked_on=row.revoked_on,
            revocation_ground=row.revocation_ground,
        )


class VerificationOut(BaseModel):
    """What the tax agency is told about one enterprise and evaluation year."""

    uscc: str = Field(description="统一社会信用代码 / unified social credit code")
    year: int = Field(description="评价年度 / evaluation year")
    registered: bool = Field(
        description="该年度是否曾入库登记（与查询日期无关） / whether the enterprise held a "
        "registration for the evaluation year, whatever the query date"
    )
    number: str | None = Field(default=None, description="入库登记编号 / registration number")
    registered_on: date | None = Field(
        default=None, description="登记（公告）日期 / date of registration (announcement)"
    )
    valid_from: date | None = Field(default=None, description="有效期起 / valid from")
    valid_until: date | None = Field(default=None, description="有效期至 / valid until")
    revoked_on: date | None = Field(default=None, description="撤销日期 / date of revocation")
    ground: Annotated[str, closed_set(RevocationGround)] | None = Field(
        default=None, description="撤销事由 / ground of the revocation"
    )
    status: Literal["valid", "revoked", "expired", "not_registered"] = Field(
        description="查询日（on）的状态 / state on the query date `on`"
    )
    as_of: date = Field(description="状态所依据的日期 / the date the status is given for")


class NoticeEntryOut(BaseModel):
    uscc: str
    enterprise_name: str
    region_code: str
    agency: str
    registration_number: str | None = None
    ground: Annotated[str, closed_set(RevocationGround)] | None = None


class NoticeOut(BaseModel):
    id: str
    kind: str
    year: int
    title: str
    title_en: str
    published_on: date
    starts_on: date | None = None
    ends_on: date | None = None
    batch_id: str | None = None
    entries: list[NoticeEntryOut]


class SpotCheckItemOut(BaseModel):
    registration_number: str
    uscc: str
    enterprise_name: str
    agency: str
    result: str | None = None
    notes: str | None = None
    recorded_at: datetime | None = None

    @classmethod
    def of(cls, row: SpotCheckItemRow) -> SpotCheckItemOut:
        return cls(
            registration_number=row.registration_number,
            uscc=row.uscc,
            enterprise_name=row.enterprise_name,
            agency=row.agency,
            result=row.result,
            notes=row.notes,
            recorded_at=row.recorded_at,
        )


class SpotCheckOut(BaseModel):
    id: str
    year: int
    seed: str
    ratio: str
    population: int
    sample_size: int
    created_at: datetime
    items: list[SpotCheckItemOut]

    @classmethod
    def of(cls, row: SpotCheckRow, items: list[SpotCheckItemRow]) -> SpotCheckOut:
        return cls(
            id=str(row.id),
            year=row.year,
            seed=row.seed,
            ratio=str(row.ratio),
            population=row.population,
            sample_size=row.sample_size,
            created_at=row.created_at,
            items=[SpotCheckItemOut.of(i) for i in items],
        )
