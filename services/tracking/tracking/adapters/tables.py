"""Tracking's own tables (its database only; no other service reads them).

Obligations and reports carry copies of the registration's agency, region and industry:
every list is scoped by agency and every statistic groups by region or industry, so those
queries read one table through an index instead of joining per row.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.platform.db.metadata import new_metadata

metadata = new_metadata()

MONEY = Numeric(17, 2)


class Base(DeclarativeBase):
    metadata = metadata


class RegistrationRow(Base):
    """A registration (入库登记) as review announced it; the cohort tiers are drawn from."""

    __tablename__ = "registration"

    number: Mapped[str] = mapped_column(String(40), primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    # Null only while a revocation arrived before its registration (out-of-order replay).
    region_code: Mapped[str | None] = mapped_column(String(6))
    agency: Mapped[str | None] = mapped_column(String(20))
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    industry_code: Mapped[str | None] = mapped_column(String(10))
    registered_on: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revocation_ground: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        Index("ix_registration_year_agency", "year", "agency", "uscc"),
        Index("ix_registration_uscc", "uscc"),
    )


class ObligationRow(Base):
    """One quarter an enterprise owes a report for (报告义务)."""

    __tablename__ = "obligation"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    uscc: Mapped[str] = mapped_column(String(18), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    quarter: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    registration_number: Mapped[str] = mapped_column(
        String(40), ForeignKey("registration.number"), nullable=False
    )
    # The evaluation year whose policy sets the due date and the report's field list.
    policy_year: Mapped[int] = mapped_column(Integer, nullable=False)
    agency: Mapped[str] = mapped_column(String(20), nullable=False)
    region_code: Mapped[str] = mapped_column(String(6), nullable=False)
    industry_code: Mapped[str | None] = mapped_column(String(10))
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    # The due date counted over days no published calendar knew yet (weekdays only).
    due_on_provisional: Mapped[bool] = mapped_column(
        Boolean, nullable=False, server_default=text("false")
    )
    state: Mapped[str] = mapped_column(String(12), nullable=False)
    reported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    overdue_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        # A quarter is owed once, whichever registration covers it.
        UniqueConstraint("uscc", "year", "quarter", name="uq_obligation_quarter"),
        CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_range"),
        CheckConstraint("state IN ('due', 'submitted', 'late', 'overdue')", name="state_known"),
        # Overdue detection reads only the open obligations, by due date.
        Index("ix_obligation_open_due", "due_on", postgresql_where=text("state = 'due'")),
        # Scoped lists, newest due date first (keyset on due_on, id); an enterprise's own
        # few rows come through uq_obligation_quarter, as does a revocation's delete.
        Index("ix_obligation_agency_due", "agency", "due_on", "id"),
        Index("ix_obligation_due", "due_on", "id"),
        # Room on each page for the new versions of the rows the overdue job and reports
        # update, so a batch of state changes does not spread the table (measured: about
        # a third less time for the 100,000-row detection, benchmarks/bench_overdue.py).
        {"postgresql_with": {"fillfactor": 70}},
    )


class QuarterlyReportRow(Base):
    """The report filed for an obligation (季度报告); replaced in place until the due date."""

    __tablename__ = "quarterly_report"

    obligation_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("obligation.id", ondelete="CASCADE"), primary_key=True
    )
    uscc: Mapped[str] = mapped_column(String(18), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    quarter: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    agency: Mapped[str] = mapped_column(String(20), nullable=False)
    region_code: Mapped[str] = mapped_column(String(6), nullable=False)
    industry_code: Mapped[str | None] = mapped_column(String(10))
    # The whole body as validated (money as decimal strings), under the policy version below.
    figures: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    needs: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, nullable=False, server_default=text("'[]'::jsonb")
    )
    policy_version: Mapped[int] = mapped_column(Integer, nullable=False)
    # Typed copies of the figures statistics and tiers aggregate (null if the year's field
    # list has no such figure).
    operating_revenue: Mapped[Decimal | None] = mapped_column(MONEY)
    rd_expense: Mapped[Decimal | None] = mapped_column(MONEY)
    employees: Mapped[int | None] = mapped_column(Integer)
    late: Mapped[bool] = mapped_column(Boolean, nullable=False)
    revision: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))
    first_submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    __table_args__ = (
        Index("ix_quarterly_report_agency_submitted", "agency", "submitted_at", "obligation_id"),
        Index("ix_quarterly_report_uscc_submitted", "uscc", "submitted_at", "obligation_id"),
        Index("ix_quarterly_report_submitted", "submitted_at", "obligation_id"),
        Index("ix_quarterly_report_uscc_quarter", "uscc", "year", "quarter"),
        Index("ix_quarterly_report_year_quarter", "year", "quarter", "agency"),
    )
