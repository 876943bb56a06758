"""Supervision's own tables (its database only; no other service reads them)."""

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

from shared.platform.db.metadata import new_metadata

metadata = new_metadata()


class Base(DeclarativeBase):
    metadata = metadata


class CaseRow(Base):
    """A supervision case (监督案件): objection, complaint or report.

    `filer_*` is personal data: shown only to the staff handling the case (its agency and
    the province), never in public output, events or the audit log. An anonymous filing
    stores none of it, so there is no reply channel.
    """

    __tablename__ = "supervision_case"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    subject_uscc: Mapped[str] = mapped_column(String(18), nullable=False)
    subject_name: Mapped[str | None] = mapped_column(String(200))
    batch_id: Mapped[str | None] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    agency: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    grounds: Mapped[str] = mapped_column(Text, nullable=False)
    facts: Mapped[str] = mapped_column(Text, nullable=False)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    filer_type: Mapped[str] = mapped_column(String(20), nullable=False)  # or "anonymous"
    filer_name: Mapped[str | None] = mapped_column(String(100))
    filer_phone: Mapped[str | None] = mapped_column(String(30))
    filer_organisation: Mapped[str | None] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    filed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    filed_on: Mapped[date] = mapped_column(Date, nullable=False)
    accept_due_on: Mapped[date] = mapped_column(Date, nullable=False)
    accept_due_provisional: Mapped[bool] = mapped_column(Boolean, nullable=False)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    not_accepted_reason: Mapped[str | None] = mapped_column(Text)
    conclude_due_on: Mapped[date | None] = mapped_column(Date)
    conclude_due_provisional: Mapped[bool] = mapped_column(
        Boolean, nullable=False, server_default=text("false")
    )
    # The deadline that is running now (acceptance, then conclusion); NULL once handled.
    due_on: Mapped[date | None] = mapped_column(Date)
    finding: Mapped[str | None] = mapped_column(String(20))
    measures: Mapped[str | None] = mapped_column(Text)
    concluded_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now(), onupdate=func.now()
    )

    __table_args__ = (
        # Lists: agency-scoped and province-wide, newest first (keyset on filed_at, id).
        Index("ix_supervision_case_agency_filed", "agency", "filed_at", "id"),
        Index("ix_supervision_case_filed", "filed_at", "id"),
        # Overdue cases: only open ones have a due date.
        Index(
            "ix_supervision_case_open_due",
            "due_on",
            "agency",
            postgresql_where=text("due_on IS NOT NULL"),
        ),
        Index("ix_supervision_case_subject", "subject_uscc", "filed_at"),
        # Duplicate detection: the same fingerprint within the duplicate window.
        Index("ix_supervision_case_fingerprint", "fingerprint", "filed_at"),
    )


class CaseStepRow(Base):
    """Each handling step of a case (接收、受理/不予受理、办结), with who and why."""

    __tablename__ = "supervision_case_step"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    case_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("supervision_case.id"), nullable=False, index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    step: Mapped[str] = mapped_column(String(20), nullable=False)
    actor_role: Mapped[str | None] = mapped_column(String(20))
    actor_org: Mapped[str | None] = mapped_column(String(50))
    note: Mapped[str | None] = mapped_column(Text)


class FilingRateWindowRow(Base):
    """Fixed-window counter of public filings per client key (hashed address or subject).

    One upsert per filing (`count = count + 1 RETURNING count`) — atomic in PostgreSQL, so
    the limit holds across replicas. Old windows are deleted by a periodic job.
    """

    __tablename__ = "filing_rate_window"

    client_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, nullable=False)

    __table_args__ = (Index("ix_filing_rate_window_start", "window_start"),)


class RegistrationRow(Base):
    """Local view of the registry (入库登记), from review's registration events."""

    __tablename__ = "registry_view"

    number: Mapped[str] = mapped_column(String(40), primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    region_code: Mapped[str] = mapped_column(String(6), nullable=False)
    agency: Mapped[str] = mapped_column(String(20), nullable=False)
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), nullable=False)  # valid | revoked
    registered_on: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revoked_ground: Mapped[str | None] = mapped_column(String(40))

    __table_args__ = (Index("ix_registry_view_uscc_year", "uscc", "year"),)


class PublicityBatchRow(Base):
    """A publicity batch (公示批次) as review published it: its period and its entries."""

    __tablename__ = "publicity_batch_view"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)


class PublicityEntryRow(Base):
    __tablename__ = "publicity_entry_view"

    batch_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("publicity_batch_view.id"), primary_key=True
    )
    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    agency: Mapped[str] = mapped_column(String(20), nullable=False)
    case_id: Mapped[str | None] = mapped_column(String(64))
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)  # the batch's, for ordering

    __table_args__ = (Index("ix_publicity_entry_view_uscc", "uscc", "starts_on"),)


class CreditEntryRow(Base):
    """An entry of the credit archive (诚信档案). Never deleted; removal sets `ends_on`."""

    __tablename__ = "credit_entry"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    uscc: Mapped[str] = mapped_column(String(18), nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    source: Mapped[str] = mapped_column(String(40), nullable=False)
    # The entry's natural key within its source (list and start date, case id, ...).
    reference: Mapped[str] = mapped_column(String(200), nullable=False)
    detail: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now(), onupdate=func.now()
    )

    __table_args__ = (
        Index("uq_credit_entry_reference", "uscc", "source", "kind", "reference", unique=True),
        Index("ix_credit_entry_uscc_starts", "uscc", "starts_on", "id"),
    )


class RevocationRow(Base):
    """A revocation of a registration number (撤销登记编号): proposed or decided."""

    __tablename__ = "revocation"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    number: Mapped[str] = mapped_column(String(40), nullable=False)
    uscc: Mapped[str] = mapped_column(String(18), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    agency: Mapped[str] = mapped_column(String(20), nullable=False)
    ground: Mapped[str] = mapped_column(String(40), nullable=False)
    basis: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    origin: Mapped[str] = mapped_column(String(20), nullable=False)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    proposed_by: Mapped[str | None] = mapped_column(String(50))  # org code or "system"
    decided_on: Mapped[date | None] = mapped_column(Date)
    dismissed_reason: Mapped[str | None] = mapped_column(Text)
    superseded_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    applied_on: Mapped[date | None] = mapped_column(Date)  # review revoked the number
    # The procedure (告知—陈述申辩, contract § Round 2).
    notified_on: Mapped[date | None] = mapped_column(Date)
    statement_due_on: Mapped[date | None] = mapped_column(Date)
    statement: Mapped[str | None] = mapped_column(Text)
    stated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    skip_statement: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=text("false")
    )
    decision_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now(), onupdate=func.now()
    )

    __table_args__ = (
        # At most one decision per registration number.
        Index(
            "uq_revocation_revoked_number",
            "number",
            unique=True,
            postgresql_where=text("status = 'revoked'"),
        ),
        # At most one open proposal per number and ground (new evidence joins it).
        Index(
            "uq_revocation_open_proposal",
            "number",
            "ground",
            unique=True,
            postgresql_where=text("status = 'proposed'"),
        ),
        # At most one procedure under way per number (notified or stated).
        Index(
            "uq_revocation_in_procedure",
            "number",
            unique=True,
            postgresql_where=text("status IN ('notified', 'stated')"),
        ),
        Index("ix_revocation_uscc_created", "uscc", "created_at", "id"),
        Index("ix_revocation_agency_created", "agency", "created_at", "id"),
        Index("ix_revocation_status_created", "status", "created_at", "id"),
        Index("ix_revocation_created", "created_at", "id"),
        Index("ix_revocation_number", "number"),
    )


class SupervisionChannelRow(Base):
    """How the public reaches one organisation to object, complain or report (公开监督方式,
    seed §二.2). An organisation without a row is shown with placeholder contacts."""

    __tablename__ = "supervision_channel"

    org: Mapped[str] = mapped_column(String(20), primary_key=True)
    phone: Mapped[str] = mapped_column(String(40), nullable=False)
    email: Mapped[str] = mapped_column(String(200), nullable=False)
    address: Mapped[str] = mapped_column(String(500), nullable=False)
    office_hours: Mapped[str] = mapped_column(String(200), nullable=False)
    notes: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(100), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
