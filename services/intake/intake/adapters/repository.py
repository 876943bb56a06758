"""Loading and saving applications (scoped queries live here, not in routers)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from intake.adapters.tables import ApplicationRow, TimelineRow
from intake.domain.status import ApplicationStatus


async def get_application(
    session: AsyncSession, application_id: uuid.UUID, *, for_update: bool = False
) -> ApplicationRow | None:
    stmt = select(ApplicationRow).where(ApplicationRow.id == application_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def timeline_of(session: AsyncSession, application_id: uuid.UUID) -> list[TimelineRow]:
    stmt = (
        select(TimelineRow)
        .where(TimelineRow.application_id == application_id)
        .order_by(TimelineRow.at, TimelineRow.id)
    )
    return list((await session.execute(stmt)).scalars().all())


def record_status(
    session: AsyncSession,
    application: ApplicationRow,
    status: ApplicationStatus,
    at: datetime,
    reason: str | None = None,
) -> None:
    application.status = status.value
    application.updated_at = at
    session.add(
        TimelineRow(application_id=application.id, at=at, status=status.value, reason=reason)
    )
