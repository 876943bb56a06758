"""Response shapes of the tracking API (contract.md "Resources": obligation, report body)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, PlainSerializer

from shared.kernel.money import Ratio, money_str
from shared.platform.web.openapi import closed_set
from tracking.adapters.tables import ObligationRow, QuarterlyReportRow
from tracking.domain.needs import NeedCategory
from tracking.domain.obligation_state import ObligationState

# Output money: a decimal string with two places, unbounded (sums over a province).
Money = Annotated[Decimal, PlainSerializer(money_str, return_type=str, when_used="json")]


class ObligationOut(BaseModel):
    uscc: str
    year: int
    quarter: int
    due_on: date
    state: Annotated[str, closed_set(ObligationState)]
    due_on_provisional: bool
    registration_number: str
    agency: str
    region_code: str
    industry_code: str | None
    enterprise_name: str | None
    reported_at: datetime | None
    overdue_at: datetime | None

    @classmethod
    def of(cls, row: ObligationRow) -> ObligationOut:
        return cls(
            uscc=row.uscc,
            year=row.year,
            quarter=row.quarter,
            due_on=row.due_on,
            state=row.state,
            due_on_provisional=row.due_on_provisional,
            registration_number=row.registration_number,
            agency=row.agency,
            region_code=row.region_code,
            industry_code=row.industry_code,
            enterprise_name=row.enterprise_name,
            reported_at=row.reported_at,
            overdue_at=row.overdue_at,
        )


class QuarterlyReportOut(BaseModel):
    """A filed report: who and when, then the body's figures (the year's field list from
    the policy, so they are not listed here) and `needs`."""

    model_config = ConfigDict(extra="allow")

    uscc: str
    year: int
    quarter: int
    state: Annotated[str, closed_set(ObligationState)]
    late: bool
    due_on: date
    agency: str
    region_code: str
    revision: int
    first_submitted_at: datetime
    submitted_at: datetime
    needs: list[dict[str, Any]]

    @classmethod
    def of(cls, report: QuarterlyReportRow, obligation: ObligationRow) -> QuarterlyReportOut:
        return cls(
            uscc=report.uscc,
            year=report.year,
            quarter=report.quarter,
            state=obligation.state,
            late=report.late,
            due_on=obligation.due_on,
            agency=report.agency,
            region_code=report.region_code,
            revision=report.revision,
            first_submitted_at=report.first_submitted_at,
            submitted_at=report.submitted_at,
            needs=report.needs,
            # A figure never shadows who/when (a policy could name a field `state`).
            **{k: v for k, v in report.figures.items() if k not in cls.model_fields},
        )


class Measures(BaseModel):
    revenue: Money | None
    rd: Money | None
    employees: Decimal | None


class GrowthMeasures(BaseModel):
    revenue: Ratio | None
    rd: Ratio | None
    employees: Ratio | None


class StatisticsItem(BaseModel):
    group: str
    group_name: str | None
    year: int
    quarter: int
    obligated: int
    submitted: int
    on_time: int
    late: int
    overdue: int
    open: int
    on_time_rate: Ratio | None
    sums: Measures
    medians: Measures
    growth: GrowthMeasures


class StatisticsOut(BaseModel):
    year: int
    quarter: int | None
    group_by: str
    items: list[StatisticsItem]


class NeedCountOut(BaseModel):
    group: str
    category: Annotated[str, closed_set(NeedCategory)]
    category_label: str
    category_label_en: str
    entries: int
    enterprises: int


class NeedsOut(BaseModel):
    year: int
    quarter: int | None
    group_by: str
    items: list[NeedCountOut]
    by_category: dict[str, int]


class TierOut(BaseModel):
    code: str
    name: str
    name_en: str
    rank: int


class TierFiguresOut(BaseModel):
    quarters: int
    first_quarter: str | None
    last_quarter: str | None
    rd_expense: Money | None
    operating_revenue: Money | None
    earliest_revenue: Money | None
    latest_revenue: Money | None
    rd_intensity: Ratio | None
    revenue_growth: Ratio | None


class TieredEnterpriseOut(BaseModel):
    uscc: str
    enterprise_name: str | None
    registration_number: str
    agency: str
    region_code: str | None
    industry_code: str | None
    tier: TierOut
    figures: TierFiguresOut


class TierCountOut(TierOut):
    enterprises: int


class TiersPage(BaseModel):
    items: list[TieredEnterpriseOut]
    next_cursor: str | None = None
    year: int
    tiers: list[TierCountOut]


class OverdueRunOut(BaseModel):
    today: date
    marked: int
