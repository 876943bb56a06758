"""Intake's own tables (its database only; no other service reads them)."""

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
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from intake.domain.status import ENDED
from shared.platform.db.metadata import new_metadata

metadata = new_metadata()

_ENDED_SQL = ", ".join(f"'{s.value}'" for s in sorted(ENDED))


class Base(DeclarativeBase):
    metadata = metadata


class EnterpriseRow(Base):
    """The profile an enterprise registered for itself (企业信息). Holds personal contact data:
    shown only to the enterprise, its agency and the province, never put in an event."""

    __tablename__ = "enterprise"

    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    region_code: Mapped[str] = mapped_column(String(6), nullable=False)
    agency: Mapped[str] = mapped_column(String(20), nullable=False)
    profile: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    uscc_checksum_ok: Mapped[bool] = mapped_column(Boolean, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class ApplicationRow(Base):
    """One evaluation application (评价申请) of one enterprise for one year."""

    __tablename__ = "application"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    uscc: Mapped[str] = mapped_column(String(18), nullable=False)
    agency: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    form: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    self_evaluation: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    # The policy version the stored self-evaluation was made under (the submitted one's).
    policy_version: Mapped[int] = mapped_column(Integer, nullable=False)
    registration_number: Mapped[str | None] = mapped_column(String(40))
    # The reviewer's reason of the latest return or rejection (also in the timeline).
    decision_reason: Mapped[str | None] = mapped_column(Text)
    # 0 while a draft; 1 on the first submission, +1 on each resubmission after a return.
    round: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("0"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        # Lists: agency → its own, province → all, enterprise → its own; newest first.
        Index("ix_application_agency_created", "agency", "created_at", "id"),
        Index("ix_application_created", "created_at", "id"),
        Index("ix_application_uscc_year", "uscc", "year"),
        Index("ix_application_registration_number", "registration_number"),
        # One live application per enterprise and year (domain.md §5.2).
        Index(
            "uq_application_live",
            "uscc",
            "year",
            unique=True,
            postgresql_where=text(f"status NOT IN ({_ENDED_SQL})"),
        ),
    )


class TimelineRow(Base):
    """Each status change of an application, with time and reason."""

    __tablename__ = "application_timeline"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    application_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("application.id"), nullable=False, index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)


class RevocationRow(Base):
    """A revoked registration (from `cn.sme.registration.revoked.v1`): bars a new application
    of the enterprise that year (domain.md §7), whether or not intake holds its application."""

    __tablename__ = "registration_revocation"

    number: Mapped[str] = mapped_column(String(40), primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), nullable=False, index=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    ground: Mapped[str] = mapped_column(String(40), nullable=False)
    revoked_on: Mapped[date] = mapped_column(Date, nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )


class DocumentRow(Base):
    """An evidence document (证明材料) of an application: metadata only, the bytes are in the
    object store under `object_key` (derived from `sha256`). A row is written only after its
    object was stored, so a row never points at nothing."""

    __tablename__ = "application_document"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    application_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("application.id"), nullable=False
    )
    # Copied from the application: the reuse check looks across enterprises of one year.
    uscc: Mapped[str] = mapped_column(String(18), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    refers_to: Mapped[str | None] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    media_type: Mapped[str] = mapped_column(String(40), nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    object_key: Mapped[str] = mapped_column(String(200), nullable=False)
    # Whether the content parsed as its type at upload (`evidence_unreadable` if not).
    readable: Mapped[bool] = mapped_column(Boolean, nullable=False)
    # The application's round when uploaded: documents of a submitted round are immutable.
    round: Mapped[int] = mapped_column(Integer, nullable=False)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    __table_args__ = (
        Index("ix_application_document_application", "application_id", "uploaded_at"),
        Index("ix_application_document_year_sha256", "year", "sha256"),
        Index("ix_application_document_object_key", "object_key"),
    )
