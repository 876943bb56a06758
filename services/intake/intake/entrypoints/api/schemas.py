"""Request and response shapes of the intake API (contract.md "Resources": application)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from intake.adapters.tables import ApplicationRow, EnterpriseRow, TimelineRow
from intake.domain.profile import profile_warnings
from intake.domain.status import EDITABLE, ApplicationStatus
from shared.kernel.text import LongText
from shared.platform.web.openapi import closed_set


class TimelineEntry(BaseModel):
    at: datetime
    status: Annotated[str, closed_set(ApplicationStatus)]
    reason: str | None = None


class ApplicationOut(BaseModel):
    id: str
    year: int
    uscc: str
    agency: str
    status: Annotated[str, closed_set(ApplicationStatus)]
    form: dict[str, Any]
    self_evaluation: dict[str, Any]
    registration_number: str | None = None
    timeline: list[TimelineEntry] = []
    # Added fields (contract: add freely).
    editable: bool
    round: int
    policy_version: int
    decision_reason: str | None = None
    submitted_at: datetime | None = None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: ApplicationRow, timeline: list[TimelineRow] | None = None) -> ApplicationOut:
        return cls(
            id=str(row.id),
            year=row.year,
            uscc=row.uscc,
            agency=row.agency,
            status=row.status,
            form=row.form,
            self_evaluation=row.self_evaluation,
            registration_number=row.registration_number,
            timeline=[
                TimelineEntry(at=t.at, status=t.status, reason=t.reason) for t in timeline or []
            ],
            editable=ApplicationStatus(row.status) in EDITABLE,
            round=row.round,
            policy_version=row.policy_version,
            decision_reason=row.decision_reason,
            submitted_at=row.submitted_at,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


class WithdrawRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reason: LongText | None = Field(default=None, max_length=500)

    @field_validator("reason")
    @classmethod
    def _no_nul(cls, value: str | None) -> str | None:
        # PostgreSQL cannot store U+0000 in text: refused here with the field, not a 500.
        if value is not None and "\x00" in value:
            raise PydanticCustomError(
                "text_nul", "不能包含空字符（U+0000） / must not contain NUL characters (U+0000)"
            )
        return value


class ProfileWarningOut(BaseModel):
    code: str
    message: str
    message_en: str


class EnterpriseOut(BaseModel):
    """The profile as registered, with the agency it is routed to and its warnings."""

    uscc: str
    name: str
    region_code: str
    established_on: str
    high_tech_zone: str | None
    industry_code: str
    tax_collection: str
    resident: bool
    accounting_sound: bool
    contact: dict[str, Any]
    agency: str
    uscc_checksum_ok: bool
    warnings: list[ProfileWarningOut]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: EnterpriseRow) -> EnterpriseOut:
        return cls.model_validate(
            {
                **row.profile,
                "agency": row.agency,
                "uscc_checksum_ok": row.uscc_checksum_ok,
                "warnings": [
                    ProfileWarningOut(code=w.code, message=w.message, message_en=w.message_en)
                    for w in profile_warnings(row.uscc)
                ],
                "created_at": row.created_at,
                "updated_at": row.updated_at,
            }
        )
