"""Intake's reads (the query side, like cosmicpython's views.py): what the routers show,
scoped by `shared.platform.auth.jurisdiction` in SQL for lists and per record for single reads.
Writes go through `adapters/` inside a unit of work; nothing here changes a row.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from intake.adapters import repository
from intake.adapters.tables import ApplicationRow, EnterpriseRow, TimelineRow
from intake.domain.errors import ApplicationNotFound, EnterpriseNotFound
from intake.domain.status import ApplicationStatus
from shared.platform.auth.jurisdiction import Jurisdiction
from shared.platform.auth.principal import Principal
from shared.platform.web.pagination import PageParams, keyset, page_of

# Applications and profiles carry the enterprise's USCC and the agency they are routed to.
APPLICATIONS = Jurisdiction(agency=ApplicationRow.agency, uscc=ApplicationRow.uscc)
ENTERPRISES = Jurisdiction(agency=EnterpriseRow.agency, uscc=EnterpriseRow.uscc)


async def application(
    session: AsyncSession, principal: Principal, application_id: uuid.UUID
) -> tuple[ApplicationRow, list[TimelineRow]]:
    """One application with its timeline: the owner, its agency, the province; else 404."""
    row = APPLICATIONS.require(
        principal,
        await repository.get_application(session, application_id),
        ApplicationNotFound(),
    )
    return row, await repository.timeline_of(session, row.id)


async def applications(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    year: int | None,
    status: ApplicationStatus | None,
) -> tuple[Sequence[ApplicationRow], str | None, dict[uuid.UUID, list[TimelineRow]]]:
    """A page of the applications in scope, oldest first, with their timelines."""
    stmt = select(ApplicationRow).where(APPLICATIONS.where(principal))
    if year is not None:
        stmt = stmt.where(ApplicationRow.year == year)
    if status is not None:
        stmt = stmt.where(ApplicationRow.status == status.value)
    stmt = keyset(
        stmt,
        [ApplicationRow.created_at, ApplicationRow.id],
        page,
        convert=[datetime.fromisoformat, uuid.UUID],
    )
    rows = (await session.execute(stmt)).scalars().all()
    items, cursor = page_of(rows, page, lambda r: [r.created_at.isoformat(), str(r.id)])
    return items, cursor, await repository.timelines_of(session, [r.id for r in items])


async def enterprise(session: AsyncSession, principal: Principal, uscc: str) -> EnterpriseRow:
    """A profile: the enterprise itself, the agency of its jurisdiction, the province."""
    return ENTERPRISES.require(
        principal, await session.get(EnterpriseRow, uscc), EnterpriseNotFound()
    )
