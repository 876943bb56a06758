"""Review's own tables (its database only; no other service reads them)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.platform.db.metadata import new_metadata

metadata = new_metadata()


class Base(DeclarativeBase):
    metadata = metadata


class PublicityBatchRow(Base):
    """A publicity batch (公示批次): approved cases shown to the public for N working days."""

    __tablename__ = "publicity_batch"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    # The end date leans on a year without a published holiday schedule (architecture "Time").
    ends_on_provisional: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)  # in_publicity | announced
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    announced_on: Mapped[date | None] = mapped_column(Date)
    announced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_publicity_batch_created", "created_at", "id"),)


class ReviewCaseRow(Base):
    """A review case (审查案件): one per application, across its resubmission rounds."""

    __tablename__ = "review_case"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    application_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), nullable=False, unique=True
    )
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    uscc: Mapped[str] = mapped_column(String(18), nullable=False)
    enterprise_name: Mapped[str] = mapped_column(String(200), nullable=False)
    region_code: Mapped[str] = mapped_column(String(6), nullable=False)
    industry_code: Mapped[str] = mapped_column(String(8), nullable=False)
    agency: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    round: Mapped[int] = mapped_column(Integer, nullable=False)
    form: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    # The score recomputed here with the shared engine (what the agency relies on) ...
    score: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    # ... and the enterprise's own self-evaluation as submitted (compared with it).
    self_evaluation: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    policy_version: Mapped[int] = mapped_column(Integer, nullable=False)
    first_time: Mapped[bool] = mapped_column(Boolean, nullable=False)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    due_on_provisional: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # On-site check (现场核查): trigger codes, and the agency's result once recorded.
    onsite_triggers: Mapped[list[str]] = mapped_column(JSONB, nullable=False)
    onsite_result: Mapped[str | None] = mapped_column(String(10))
    onsite_notes: Mapped[str | None] = mapped_column(Text)
    onsite_recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    onsite_recorded_by: Mapped[str | None] = mapped_column(String(200))
    decision: Mapped[str | None] = mapped_column(String(10))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    batch_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("publicity_batch.id")
    )
    registration_number: Mapped[str | None] = mapped_column(String(40))
    # Evidence documents' metadata of the submitted round (never content: the agency
    # reads the bytes from intake), as `cn.sme.application.submitted.v1` carried them.
    documents: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, nullable=False, server_default=text("'[]'::jsonb")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        Index("ix_review_case_agency_year_status", "agency", "year", "status"),
        Index("ix_review_case_created", "created_at", "id"),
        Index("ix_review_case_agency_created", "agency", "created_at", "id"),
        Index("ix_review_case_uscc_year", "uscc", "year"),
        Index("ix_review_case_batch", "batch_id", "status"),
        # Overdue lists: only undecided cases have a running deadline.
        Index(
            "ix_review_case_open_due",
            "due_on",
            postgresql_where=text("status IN ('pending', 'onsite_required')"),
        ),
    )


class CaseHistoryRow(Base):
    """What happened to a case, in order (submissions, warnings, decisions, publicity)."""

    __tablename__ = "review_case_history"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    case_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("review_case.id"), nullable=False, index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    action: Mapped[str] = mapped_column(String(40), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    actor: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)


class WarningRow(Base):
    """An automatic warning (预警) on a case; `subject` tells apart two of one code (e.g.
    two duplicated IP numbers). Resolved when its condition clears or, for `warn`, when the
    approving agency notes it."""

    __tablename__ = "review_warning"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    case_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("review_case.id"), nullable=False
    )
    code: Mapped[str] = mapped_column(String(60), nullable=False)
    subject: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    severity: Mapped[str] = mapped_column(String(10), nullable=False)
    message: Mapped[str] = mapped_column(Text, nullable=False)
    message_en: Mapped[str] = mapped_column(Text, nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    resolved: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    resolution: Mapped[str | None] = mapped_column(String(20))  # cleared | noted
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)
    noted_by: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        UniqueConstraint("case_id", "code", "subject", name="uq_review_warning_case_code_subject"),
    )


class IpClaimRow(Base):
    """An IP number claimed in a case's form (cross-enterprise rule: duplicate IP, §6)."""

    __tablename__ = "case_ip_claim"

    case_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("review_case.id"), primary_key=True
    )
    ip_number: Mapped[str] = mapped_column(String(64), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    uscc: Mapped[str] = mapped_column(String(18), nullable=False)

    __table_args__ = (Index("ix_case_ip_claim_year_number", "year", "ip_number"),)


class ContactRow(Base):
    """A contact phone or e-mail of a case (cross-enterprise rule: shared contact, §6).
    Personal data: read only by the warning rules, never shown in public output."""

    __tablename__ = "case_contact"

    case_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("review_case.id"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # phone | email
    value: Mapped[str] = mapped_column(String(254), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    uscc: Mapped[str] = mapped_column(String(18), nullable=False)

    __table_args__ = (Index("ix_case_contact_year_kind_value", "year", "kind", "value"),)


class CreditRecordRow(Base):
    """An entry of supervision's credit archive (诚信档案) as review knows it."""

    __tablename__ = "credit_record"

    entry_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(60), nullable=False)
    # What exactly: safety | quality | environment of a major incident, the ground of a
    # revocation, the kind of a substantiated case (supervision's `detail`).
    detail: Mapped[str | None] = mapped_column(String(60))
    source: Mapped[str] = mapped_column(String(100), nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class ObjectionRow(Base):
    """An objection (异议) filed in supervision against an enterprise in a publicity batch."""

    __tablename__ = "objection"

    supervision_case_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    review_case_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("review_case.id"), index=True
    )
    batch_id: Mapped[str | None] = mapped_column(String(64))
    uscc: Mapped[str] = mapped_column(String(18), nullable=False)
    state: Mapped[str] = mapped_column(String(12), nullable=False)  # open | dismissed | upheld
    filed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RegistrationCounterRow(Base):
    """The last serial issued per (year, province): locked FOR UPDATE while numbers are
    allocated, so serials are unique and gap-free across concurrent announcements."""

    __tablename__ = "registration_counter"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    province: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_serial: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class RegistrationRow(Base):
    """The registry (入库登记): one registration number per enterprise and year."""

    __tablename__ = "registration"

    number: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    province: Mapped[str] = mapped_column(String(20), nullable=False)
    serial: Mapped[int] = mapped_column(Integer, nullable=False)
    uscc: Mapped[str] = mapped_column(String(18), nullable=False)
    case_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("review_case.id"), nullable=False, unique=True
    )
    application_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    enterprise_name: Mapped[str] = mapped_column(String(200), nullable=False)
    region_code: Mapped[str] = mapped_column(String(6), nullable=False)
    industry_code: Mapped[str] = mapped_column(String(8), nullable=False)
    agency: Mapped[str] = mapped_column(String(20), nullable=False)
    batch_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("publicity_batch.id"), nullable=False
    )
    registered_on: Mapped[date] = mapped_column(Date, nullable=False)
    valid_until: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False)  # valid | revoked
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revocation_ground: Mapped[str | None] = mapped_column(String(40))
    revocation_basis: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    __table_args__ = (
        UniqueConstraint("year", "province", "serial", name="uq_registration_serial"),
        UniqueConstraint("uscc", "year", name="uq_registration_uscc_year"),
        Index("ix_registration_created", "created_at", "number"),
        Index("ix_registration_agency_created", "agency", "created_at", "number"),
        Index("ix_registration_year_agency", "year", "agency"),
    )


class PublicNoticeRow(Base):
    """A public notice (公告/公示): a publicity list, an announcement or a revocation."""

    __tablename__ = "public_notice"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(
        String(20), nullable=False
    )  # publicity|announcement|revocation
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    batch_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    title_en: Mapped[str] = mapped_column(String(300), nullable=False)
    published_on: Mapped[date] = mapped_column(Date, nullable=False)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    __table_args__ = (
        # Newest publication first; created_at and id break ties within a day.
        Index("ix_public_notice_published", "published_on", "created_at", "id"),
        Index("ix_public_notice_kind_published", "kind", "published_on", "created_at", "id"),
    )


class PublicNoticeEntryRow(Base):
    """One enterprise on a notice: name, USCC, region, agency — never contact data."""

    __tablename__ = "public_notice_entry"

    notice_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("public_notice.id"), primary_key=True
    )
    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    enterprise_name: Mapped[str] = mapped_column(String(200), nullable=False)
    region_code: Mapped[str] = mapped_column(String(6), nullable=False)
    agency: Mapped[str] = mapped_column(String(20), nullable=False)
    registration_number: Mapped[str | None] = mapped_column(String(40))
    ground: Mapped[str | None] = mapped_column(String(40))


class SpotCheckRow(Base):
    """A year-end spot check (集中抽查): the recorded seed reproduces the sample."""

    __tablename__ = "spot_check"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    seed: Mapped[str] = mapped_column(String(100), nullable=False)
    ratio: Mapped[Any] = mapped_column(Numeric(5, 4), nullable=False)
    population: Mapped[int] = mapped_column(Integer, nullable=False)
    sample_size: Mapped[int] = mapped_column(Integer, nullable=False)
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    __table_args__ = (Index("ix_spot_check_created", "created_at", "id"),)


class SpotCheckItemRow(Base):
    """One sampled registration and the result its agency recorded."""

    __tablename__ = "spot_check_item"

    spot_check_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("spot_check.id"), primary_key=True
    )
    registration_number: Mapped[str] = mapped_column(String(40), primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), nullable=False)
    enterprise_name: Mapped[str] = mapped_column(String(200), nullable=False)
    agency: Mapped[str] = mapped_column(String(20), nullable=False)
    result: Mapped[str | None] = mapped_column(String(10))  # passed | failed
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (Index("ix_spot_check_item_agency", "spot_check_id", "agency"),)


class RegistrationChangeRow(Base):
    """A change reported after registration (重大变化报告, contract § Round 2)."""

    __tablename__ = "registration_change"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    number: Mapped[str] = mapped_column(
        String(40), ForeignKey("registration.number"), nullable=False
    )
    uscc: Mapped[str] = mapped_column(String(18), nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)  # name | region | size | other
    old_value: Mapped[str | None] = mapped_column(String(200))
    new_value: Mapped[str] = mapped_column(String(200), nullable=False)
    effective_on: Mapped[date] = mapped_column(Date, nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    reported_on: Mapped[date] = mapped_column(Date, nullable=False)
    report_due_on: Mapped[date] = mapped_column(Date, nullable=False)
    late: Mapped[bool] = mapped_column(Boolean, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    __table_args__ = (Index("ix_registration_change_number", "number", "created_at"),)
