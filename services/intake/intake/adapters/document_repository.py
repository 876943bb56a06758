"""Queries on evidence documents' rows."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from intake.adapters.tables import ApplicationRow, DocumentRow

# The most documents one retention run deletes per year and kind of ending (the periodic
# job takes the rest next time).
RETENTION_BATCH = 1000


async def documents_of(session: AsyncSession, application_id: uuid.UUID) -> list[DocumentRow]:
    stmt = (
        select(DocumentRow)
        .where(DocumentRow.application_id == application_id)
        # Older rounds first (the documents already submitted), then by upload time.
        .order_by(DocumentRow.round, DocumentRow.uploaded_at, DocumentRow.id)
    )
    return list((await session.execute(stmt)).scalars().all())


async def get_document(session: AsyncSession, document_id: uuid.UUID) -> DocumentRow | None:
    return await session.get(DocumentRow, document_id)


async def stored_bytes(session: AsyncSession, application_id: uuid.UUID) -> int:
    """What the application's documents take (one object per distinct content)."""
    distinct = (
        select(DocumentRow.sha256, func.max(DocumentRow.size).label("size"))
        .where(DocumentRow.application_id == application_id)
        .group_by(DocumentRow.sha256)
        .subquery()
    )
    total = (await session.execute(select(func.coalesce(func.sum(distinct.c.size), 0)))).scalar()
    return int(total or 0)


async def key_in_use(session: AsyncSession, object_key: str) -> bool:
    stmt = select(DocumentRow.id).where(DocumentRow.object_key == object_key).limit(1)
    return (await session.execute(stmt)).first() is not None


async def keys_in_use(session: AsyncSession, keys: Sequence[str]) -> set[str]:
    if not keys:
        return set()
    stmt = select(DocumentRow.object_key).where(DocumentRow.object_key.in_(list(keys)))
    return set((await session.execute(stmt)).scalars().all())


async def reused_elsewhere(
    session: AsyncSession, year: int, uscc: str, hashes: Sequence[str]
) -> dict[str, list[str]]:
    """For each SHA-256, the other enterprises that uploaded the same bytes this year."""
    if not hashes:
        return {}
    stmt = (
        select(DocumentRow.sha256, DocumentRow.uscc)
        .where(
            DocumentRow.year == year,
            DocumentRow.sha256.in_(list(hashes)),
            DocumentRow.uscc != uscc,
        )
        .distinct()
    )
    found: dict[str, list[str]] = {}
    for sha256, other in (await session.execute(stmt)).all():
        found.setdefault(sha256, []).append(other)
    return found


async def lock_past_retention(
    session: AsyncSession,
    year: int,
    *,
    ended: Collection[str],
    ended_before: datetime | None = None,
    limit: int = RETENTION_BATCH,
) -> list[DocumentRow]:
    """Up to `limit` documents of the year's applications past their retention, locked
    (rows another job holds are skipped). With `ended_before`: applications that ended
    unregistered (`ended`) and have not changed since; without it: registered ones
    (`ended` are the registered statuses, or a number was issued)."""
    if ended_before is not None:
        condition = (
            ApplicationRow.status.in_(list(ended))
            & ApplicationRow.registration_number.is_(None)
            & (ApplicationRow.updated_at < ended_before)
        )
    else:
        condition = ApplicationRow.status.in_(list(ended)) | (
            ApplicationRow.registration_number.is_not(None)
        )
    stmt = (
        select(DocumentRow)
        .join(ApplicationRow, ApplicationRow.id == DocumentRow.application_id)
        .where(ApplicationRow.year == year, condition)
        .limit(limit)
        .with_for_update(of=DocumentRow, skip_locked=True)
    )
    return list((await session.execute(stmt)).scalars().all())
