"""/api/v1/tracking — statistics, needs, tiers (bureaus) and the overdue detection (ops)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from shared.kernel.codes.orgtree import org_tree
from shared.kernel.errors import InvalidInput, field_error
from shared.platform.web.deps import Runtime
from shared.platform.web.openapi import error_responses
from shared.platform.web.pagination import PageQuery
from shared.platform.web.params import year_query
from tracking import views
from tracking.adapters.needs import count_needs
from tracking.adapters.statistics import GroupBy, quarterly_statistics
from tracking.adapters.statistics_xlsx import chunks, write_statistics
from tracking.adapters.tiers import tiers_query
from tracking.config import tracking_settings
from tracking.domain.needs import NEED_LABELS, NeedCategory
from tracking.domain.reporting_quarters import quarter_from_index
from tracking.entrypoints.api.roles import Bureau, OptionalQuarter, Province, YearQuery
from tracking.entrypoints.api.schemas import (
    GrowthMeasures,
    Measures,
    NeedCountOut,
    NeedsOut,
    OverdueRunOut,
    StatisticsItem,
    StatisticsOut,
    TierCountOut,
    TieredEnterpriseOut,
    TierFiguresOut,
    TierOut,
    TiersPage,
)
from tracking.service_layer.overdue import run_overdue_detection

router = APIRouter(prefix="/api/v1/tracking", tags=["tracking"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class StatisticsFormat(StrEnum):
    JSON = "json"
    XLSX = "xlsx"


class UnknownTier(InvalidInput):
    code = "unknown_tier"
    message = "没有该分层（见本年度政策的分层规则）"
    message_en = "No such tier (see the tiers of the year's policy)"

    def __init__(self, codes: list[str]) -> None:
        known = ", ".join(codes)
        super().__init__(
            details=[
                field_error(
                    ["query", "tier"],
                    f"取值不在允许范围内：{known}",
                    f"Input should be one of: {known}",
                    "enum",
                )
            ]
        )


class NeedsGroupBy(StrEnum):
    REGION = "region"
    AGENCY = "agency"


def _group_name(group_by: GroupBy, group: str) -> str | None:
    if group_by is GroupBy.AGENCY:
        org = org_tree().get(group)
        return org.name if org else None
    return None


@router.get(
    "/statistics",
    response_model=StatisticsOut,
    responses={
        200: {
            "description": "format=json：统计表；format=xlsx：Excel 工作簿 / format=json: the "
            "table; format=xlsx: an Excel workbook",
            "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def statistics(
    principal: Bureau,
    runtime: Runtime,
    year: YearQuery,
    quarter: OptionalQuarter = None,
    group_by: Annotated[
        GroupBy, Query(description="region | agency | industry | industry_division")
    ] = GroupBy.REGION,
    format: Annotated[StatisticsFormat, Query()] = StatisticsFormat.JSON,
) -> Any:
    """按分组和季度统计报送和经营数据（可导出 Excel）。
    Per group and quarter: obligated enterprises, reports on time and late, on-time rate,
    sums and medians of revenue, R&D and employees, quarter-on-quarter growth (one SQL
    statement; see `tracking.adapters.statistics` for the definitions)."""
    first = year * 4 + (quarter - 1 if quarter else 0)
    last = year * 4 + (quarter - 1 if quarter else 3)
    async with runtime.db.sessions() as session:
        rows = await quarterly_statistics(session, principal, group_by, first, last)
    if format is StatisticsFormat.XLSX:
        scope = principal.org or ""
        period = f"{year}Q{quarter}" if quarter else str(year)
        title = f"季度跟踪统计 Quarterly tracking statistics {period} · {scope} · {group_by.value}"
        file = await run_in_threadpool(write_statistics, rows, group_by, title)
        name = f"tracking-statistics-{period}-{group_by.value}.xlsx"
        return StreamingResponse(
            chunks(file),
            media_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return StatisticsOut(
        year=year,
        quarter=quarter,
        group_by=group_by.value,
        items=[
            StatisticsItem(
                group=r.group,
                group_name=_group_name(group_by, r.group),
                year=r.year,
                quarter=r.quarter,
                obligated=r.obligated,
                submitted=r.submitted,
                on_time=r.on_time,
                late=r.late,
                overdue=r.overdue,
                open=r.open,
                on_time_rate=r.on_time_rate,
                sums=Measures(**r.sums),
                medians=Measures(**r.medians),
                growth=GrowthMeasures(**r.growth),
            )
            for r in rows
        ],
    )


@router.get("/needs", response_model=NeedsOut)
async def needs(
    principal: Bureau,
    runtime: Runtime,
    year: YearQuery,
    quarter: OptionalQuarter = None,
    group_by: Annotated[NeedsGroupBy, Query()] = NeedsGroupBy.REGION,
) -> NeedsOut:
    """Needs (需求与诉求) reported by enterprises, counted by region (or agency) and category."""
    async with runtime.db.sessions() as session:
        counts = await count_needs(
            session, principal, year, quarter, by_agency=group_by is NeedsGroupBy.AGENCY
        )
    by_category: Counter[str] = Counter({c.value: 0 for c in NeedCategory})
    items = []
    for c in counts:
        category = NeedCategory(c.category)
        zh, en = NEED_LABELS[category]
        by_category[category.value] += c.entries
        items.append(
            NeedCountOut(
                group=c.group,
                category=category.value,
                category_label=zh,
                category_label_en=en,
                entries=c.entries,
                enterprises=c.enterprises,
            )
        )
    return NeedsOut(
        year=year, quarter=quarter, group_by=group_by.value, items=items, by_category=by_category
    )


@router.get("/tiers", response_model=TiersPage, responses=error_responses(404))
async def tiers(
    principal: Bureau,
    runtime: Runtime,
    page: PageQuery,
    year: Annotated[int, year_query("evaluation year of the registration")],
    tier: Annotated[
        str | None, Query(max_length=40, description="a tier code of the policy")
    ] = None,
) -> dict[str, Any]:
    """Registered enterprises of `year` (not revoked) by tier (分层分类), strongest tier
    first, with the figures that put each one there (see `tracking.domain.tiers`)."""
    policy = await runtime.policies.get(year)
    tracking = policy.tracking
    window = tracking_settings(runtime.settings).tier_window_quarters
    tiered = tiers_query(principal, year, tracking, window)
    codes = [t.code for t in tracking.tiers]
    if tier is not None and tier not in codes:
        raise UnknownTier(codes)  # a typo is not an empty tier
    async with runtime.db.sessions() as session:
        items, cursor, counts = await views.tier_page(
            session, tiered, page, rank=codes.index(tier) if tier is not None else None
        )

    def tier_out(rank: int) -> TierOut:
        rule = tracking.tiers[rank]
        return TierOut(code=rule.code, name=rule.name, name_en=rule.name_en, rank=rank)

    def label(index: int | None) -> str | None:
        if index is None:
            return None
        q = quarter_from_index(index)
        return f"{q.year}Q{q.quarter}"

    return {
        "year": year,
        "tiers": [
            TierCountOut(**tier_out(rank).model_dump(), enterprises=counts.get(rank, 0))
            for rank in range(len(tracking.tiers))
        ],
        "items": [
            TieredEnterpriseOut(
                uscc=r["uscc"],
                enterprise_name=r["enterprise_name"],
                registration_number=r["number"],
                agency=r["agency"],
                region_code=r["region_code"],
                industry_code=r["industry_code"],
                tier=tier_out(r["tier_rank"]),
                figures=TierFiguresOut(
                    quarters=r["quarters"],
                    first_quarter=label(r["first_qi"]),
                    last_quarter=label(r["last_qi"]),
                    rd_expense=r["rd_expense"],
                    operating_revenue=r["operating_revenue"],
                    earliest_revenue=r["earliest_revenue"],
                    latest_revenue=r["latest_revenue"],
                    rd_intensity=_dec(r["rd_intensity"]),
                    revenue_growth=_dec(r["revenue_growth"]),
                ),
            )
            for r in items
        ],
        "next_cursor": cursor,
    }


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


@router.post("/overdue-detection", response_model=OverdueRunOut)
async def overdue_detection(principal: Province, runtime: Runtime) -> OverdueRunOut:
    """运维：立即把逾期未报的季度报告标记为逾期。
    Ops: mark every report missing past its due date as overdue now (the periodic job
    does the same every `TRACKING_OVERDUE_INTERVAL` seconds); idempotent."""
    run = await run_overdue_detection(runtime, principal.actor)
    return OverdueRunOut(today=run.today, marked=run.marked)
