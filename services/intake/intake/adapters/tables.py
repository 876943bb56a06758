"""Intake's own tables (its database only; no other service reads them)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, Integer, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db.metadata import new_metadata

metadata = new_metadata()


class Base(DeclarativeBase):
    metadata = metadata


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
    registration_number: Mapped[str | None] = mapped_column(String(40))
    round: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("0"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        Index("ix_application_agency_created", "agency", "created_at", "id"),
        Index("ix_application_uscc_year", "uscc", "year"),
        # One live application per enterprise and year (domain.md §5.2).
        Index(
            "uq_application_live",
            "uscc",
            "year",
            unique=True,
            postgresql_where=text("status <> 'withdrawn'"),
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
