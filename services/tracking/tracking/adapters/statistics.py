"""Quarterly statistics (统计) in ONE SQL statement (domain.md §8, `GET /tracking/statistics`).

Per group and quarter:
- `obligated` enterprises (one obligation per enterprise and quarter), `submitted` (on time or
  late), `on_time`, `late`, `overdue`, `open` (still due);
- `on_time_rate` = on time ÷ obligated (a quarter whose due date has not passed yet shows
  the share reported so far);
- sums and medians (`percentile_cont(0.5)`) of operating revenue, R&D expense and employees
  over the reports filed;
- quarter-on-quarter growth of revenue, R&D and employees among the enterprises that
  reported both this quarter and the one before (a window `lag` per enterprise), so that
  enterprises registered during the year are not counted as growth.

Groups (`group_by`):
- `region` — the enterprise's 6-digit region code (GB/T 2260, county level) as registered;
- `agency` — the evaluation agency in charge (league/city bureau or high-tech zone);
- `industry` — the GB/T 4754 section letter (门类, `C` manufacturing, `I` IT services);
- `industry_division` — the section letter and two-digit division (大类, `C39`, `I65`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Numeric, and_, cast, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.platform.auth.jurisdiction import Jurisdiction
from shared.platform.auth.principal import Principal
from tracking.adapters.obligations import quarter_index_of
from tracking.adapters.tables import ObligationRow, QuarterlyReportRow
from tracking.domain.obligation_state import ObligationState

o = ObligationRow.__table__
r = QuarterlyReportRow.__table__

UNKNOWN_GROUP = "unknown"


class GroupBy(StrEnum):
    REGION = "region"
    AGENCY = "agency"
    INDUSTRY = "industry"
    INDUSTRY_DIVISION = "industry_division"


_GROUP_EXPRESSIONS: dict[GroupBy, Any] = {
    GroupBy.REGION: o.c.region_code,
    GroupBy.AGENCY: o.c.agency,
    GroupBy.INDUSTRY: func.left(o.c.industry_code, 1),
    GroupBy.INDUSTRY_DIVISION: func.left(o.c.industry_code, 3),
}

MEASURES = ("revenue", "rd", "employees")


@dataclass(frozen=True, slots=True)
class StatisticsRow:
    group: str
    year: int
    quarter: int
    obligated: int
    submitted: int
    on_time: int
    late: int
    overdue: int
    open: int
    on_time_rate: Decimal | None
    sums: dict[str, Decimal | None]
    medians: dict[str, Decimal | None]
    growth: dict[str, Decimal | None]


def _ratio(numerator: Any, denominator: Any) -> Any:
    return func.round(cast(numerator, Numeric) / func.nullif(cast(denominator, Numeric), 0), 4)


def statistics_query(
    principal: Principal, group_by: GroupBy, first_index: int, last_index: int
) -> Any:
    qi = quarter_index_of(o)
    per_enterprise = {"partition_by": o.c.uscc, "order_by": qi}
    measures = {"revenue": r.c.operating_revenue, "rd": r.c.rd_expense, "employees": r.c.employees}
    base = (
        select(
            o.c.year,
            o.c.quarter,
            qi.label("qi"),
            func.coalesce(_GROUP_EXPRESSIONS[group_by], UNKNOWN_GROUP).label("grp"),
            o.c.state,
            func.lag(qi).over(**per_enterprise).label("prev_qi"),
            *(col.label(name) for name, col in measures.items()),
            *(
                func.lag(col).over(**per_enterprise).label(f"prev_{name}")
                for name, col in measures.items()
            ),
        )
        .select_from(o.outerjoin(r, r.c.obligation_id == o.c.id))
        # The quarter before the first one is read only for the growth of the first.
        .where(
            # The plain year range lets the planner estimate the rows (and hash-join the
            # reports); the index range then cuts it to the quarters.
            o.c.year.between((first_index - 1) // 4, last_index // 4),
            qi.between(first_index - 1, last_index),
            Jurisdiction(agency=o.c.agency, uscc=o.c.uscc).where(principal),
        )
        .cte("base")
    )
    b = base.c

    def count_state(*states: ObligationState) -> Any:
        return func.count().filter(b.state.in_([s.value for s in states]))

    def matched(name: str) -> Any:
        return and_(b.prev_qi == b.qi - 1, b[name].is_not(None), b[f"prev_{name}"].is_not(None))

    def growth(name: str) -> Any:
        now = func.sum(b[name]).filter(matched(name))
        before = func.sum(b[f"prev_{name}"]).filter(matched(name))
        return func.round(
            cast(now, Numeric) / func.nullif(cast(before, Numeric), 0) - literal(1), 4
        )

    on_time = count_state(ObligationState.SUBMITTED)
    return (
        select(
            b.grp,
            b.year,
            b.quarter,
            func.count().label("obligated"),
            count_state(ObligationState.SUBMITTED, ObligationState.LATE).label("submitted"),
            on_time.label("on_time"),
            count_state(ObligationState.LATE).label("late"),
            count_state(ObligationState.OVERDUE).label("overdue"),
            count_state(ObligationState.DUE).label("open"),
            _ratio(on_time, func.count()).label("on_time_rate"),
            *(func.sum(b[name]).label(f"sum_{name}") for name in MEASURES),
            *(
                func.round(cast(func.percentile_cont(0.5).within_group(b[name]), Numeric), 2).label(
                    f"median_{name}"
                )
                for name in MEASURES
            ),
            *(growth(name).label(f"growth_{name}") for name in MEASURES),
        )
        .where(b.qi.between(first_index, last_index))
        .group_by(b.grp, b.year, b.quarter)
        .order_by(b.grp, b.year, b.quarter)
    )


async def quarterly_statistics(
    session: AsyncSession,
    principal: Principal,
    group_by: GroupBy,
    first_index: int,
    last_index: int,
) -> list[StatisticsRow]:
    stmt = statistics_query(principal, group_by, first_index, last_index)
    rows = (await session.execute(stmt)).mappings().all()
    return [
        StatisticsRow(
            group=row["grp"],
            year=row["year"],
            quarter=row["quarter"],
            obligated=row["obligated"],
            submitted=row["submitted"],
            on_time=row["on_time"],
            late=row["late"],
            overdue=row["overdue"],
            open=row["open"],
            on_time_rate=row["on_time_rate"],
            sums={m: _decimal(row[f"sum_{m}"]) for m in MEASURES},
            medians={m: _decimal(row[f"median_{m}"]) for m in MEASURES},
            growth={m: _decimal(row[f"growth_{m}"]) for m in MEASURES},
        )
        for row in rows
    ]


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)
