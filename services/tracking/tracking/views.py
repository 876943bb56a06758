"""Tracking's reads (the query side, like cosmicpython's views.py): obligations, reports
and the tier list the routers show. Every one is scoped by `shared.platform.auth.jurisdiction`: an
enterprise its own rows, an agency its jurisdiction's, the province all (every tracking
table carries `uscc` and `agency`, so scoping is one indexed equality). The statistics,
needs and tier queries themselves live in `adapters/`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import RowMapping, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.kernel.errors import NotFound
from shared.platform.auth.jurisdiction import Jurisdiction
from shared.platform.auth.principal import Principal
from shared.platform.web.pagination import (
    PageParams,
    cursor_date,
    cursor_int,
    cursor_timestamp,
    keyset,
    page_of,
)
from tracking.adapters.tables import ObligationRow, QuarterlyReportRow

OBLIGATIONS = Jurisdiction(agency=ObligationRow.agency, uscc=ObligationRow.uscc)
REPORTS = Jurisdiction(agency=QuarterlyReportRow.agency, uscc=QuarterlyReportRow.uscc)


async def obligations(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    year: int | None = None,
    quarter: int | None = None,
    state: str | None = None,
    uscc: str | None = None,
) -> tuple[list[ObligationRow], str | None]:
    """The obligations in scope, newest due date first."""
    stmt = select(ObligationRow).where(OBLIGATIONS.where(principal))
    if year is not None:
        stmt = stmt.where(ObligationRow.year == year)
    if quarter is not None:
        stmt = stmt.where(ObligationRow.quarter == quarter)
    if state is not None:
        stmt = stmt.where(ObligationRow.state == state)
    if uscc is not None:
        stmt = stmt.where(ObligationRow.uscc == uscc)
    stmt = keyset(
        stmt,
        [ObligationRow.due_on, ObligationRow.id],
        page,
        convert=[cursor_date, cursor_int],
    )
    rows = (await session.execute(stmt)).scalars().all()
    return page_of(rows, page, lambda r: [r.due_on.isoformat(), r.id])


def _reports_with_obligations() -> Any:
    return select(QuarterlyReportRow, ObligationRow).join(
        ObligationRow, ObligationRow.id == QuarterlyReportRow.obligation_id
    )


async def report(
    session: AsyncSession,
    principal: Principal,
    *,
    uscc: str,
    year: int,
    quarter: int,
    not_found: NotFound,
) -> tuple[QuarterlyReportRow, ObligationRow]:
    """One enterprise's report of a quarter with its obligation; out of scope is a miss."""
    stmt = _reports_with_obligations().where(
        QuarterlyReportRow.uscc == uscc,
        QuarterlyReportRow.year == year,
        QuarterlyReportRow.quarter == quarter,
        REPORTS.where(principal),
    )
    found = (await session.execute(stmt)).first()
    if found is None:
        raise not_found
    return found[0], found[1]


async def reports(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    year: int | None = None,
    quarter: int | None = None,
    region: str | None = None,
    uscc: str | None = None,
) -> tuple[list[tuple[QuarterlyReportRow, ObligationRow]], str | None]:
    """Reports in scope, most recently filed first; `region` is a code or its prefix."""
    stmt = _reports_with_obligations().where(REPORTS.where(principal))
    if year is not None:
        stmt = stmt.where(QuarterlyReportRow.year == year)
    if quarter is not None:
        stmt = stmt.where(QuarterlyReportRow.quarter == quarter)
    if region is not None:
        stmt = stmt.where(
            QuarterlyReportRow.region_code == region
            if len(region) == 6
            else QuarterlyReportRow.region_code.startswith(region, autoescape=True)
        )
    if uscc is not None:
        stmt = stmt.where(QuarterlyReportRow.uscc == uscc)
    stmt = keyset(
        stmt,
        [QuarterlyReportRow.submitted_at, QuarterlyReportRow.obligation_id],
        page,
        convert=[cursor_timestamp, cursor_int],
    )
    rows = (await session.execute(stmt)).all()
    items, cursor = page_of(
        rows, page, lambda r: [r[0].submitted_at.isoformat(), r[0].obligation_id]
    )
    return [(r[0], r[1]) for r in items], cursor


async def tier_page(
    session: AsyncSession, tiered: Any, page: PageParams, *, rank: int | None
) -> tuple[list[RowMapping], str | None, dict[int, int]]:
    """A page of the tier list (`adapters.tiers.tiers_query`, already scoped), strongest
    tier first, and how many enterprises each tier holds."""
    stmt = select(tiered)
    if rank is not None:
        stmt = stmt.where(tiered.c.tier_rank == rank)
    stmt = keyset(
        stmt,
        [tiered.c.tier_rank, tiered.c.uscc],
        page,
        descending=False,
        convert=[cursor_int, str],
    )
    summary = select(tiered.c.tier_rank, func.count()).group_by(tiered.c.tier_rank)
    rows: Sequence[RowMapping] = (await session.execute(stmt)).mappings().all()
    counts = {int(r): int(n) for r, n in (await session.execute(summary)).all()}
    items, cursor = page_of(rows, page, lambda r: [r["tier_rank"], r["uscc"]])
    return items, cursor, counts
