"""Needs (需求与诉求) counted by category and region, straight from the reports' JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.platform.auth.jurisdiction import Jurisdiction
from shared.platform.auth.principal import Principal
from tracking.adapters.tables import QuarterlyReportRow

rep = QuarterlyReportRow.__table__


@dataclass(frozen=True, slots=True)
class NeedCount:
    group: str
    category: str
    entries: int
    enterprises: int


def needs_query(principal: Principal, year: int, quarter: int | None, by_agency: bool) -> Any:
    entry = func.jsonb_array_elements(rep.c.needs).table_valued("value").lateral("need")
    category = entry.c.value.op("->>")("category").cast(String).label("category")
    group = (rep.c.agency if by_agency else rep.c.region_code).label("grp")
    stmt = (
        select(
            group,
            category,
            func.count().label("entries"),
            func.count(rep.c.uscc.distinct()).label("enterprises"),
        )
        .select_from(rep.join(entry, entry.c.value.is_not(None)))
        .where(
            rep.c.year == year, Jurisdiction(agency=rep.c.agency, uscc=rep.c.uscc).where(principal)
        )
        .group_by(group, category)
        .order_by(group, category)
    )
    if quarter is not None:
        stmt = stmt.where(rep.c.quarter == quarter)
    return stmt


async def count_needs(
    session: AsyncSession, principal: Principal, year: int, quarter: int | None, by_agency: bool
) -> list[NeedCount]:
    rows = (await session.execute(needs_query(principal, year, quarter, by_agency))).all()
    return [NeedCount(r.grp, r.category, r.entries, r.enterprises) for r in rows]
