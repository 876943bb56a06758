"""The credit archive (信用档案) in SQL: an entry inserted once by its reference, and the
lookups that lock an entry before its interval is closed."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.adapters.tables import CreditEntryRow


async def insert_once(session: AsyncSession, values: dict[str, Any]) -> uuid.UUID | None:
    """Insert the entry unless one with the same reference exists: its id, or None."""
    stmt = (
        pg_insert(CreditEntryRow)
        .values(**values)
        .on_conflict_do_nothing()
        .returning(CreditEntryRow.id)
    )
    inserted: uuid.UUID | None = (await session.execute(stmt)).scalar_one_or_none()
    return inserted


async def lock_newest_open(
    session: AsyncSession, uscc: str, kind: str, source: str, on_or_before: date
) -> CreditEntryRow | None:
    stmt = (
        select(CreditEntryRow)
        .where(
            CreditEntryRow.uscc == uscc,
            CreditEntryRow.kind == kind,
            CreditEntryRow.source == source,
            CreditEntryRow.ends_on.is_(None),
            CreditEntryRow.starts_on <= on_or_before,
        )
        .order_by(CreditEntryRow.starts_on.desc())
        .limit(1)
        .with_for_update()
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def lock_by_reference(
    session: AsyncSession, uscc: str, source: str, kind: str, reference: str
) -> CreditEntryRow | None:
    stmt = select(CreditEntryRow).where(
        CreditEntryRow.uscc == uscc,
        CreditEntryRow.source == source,
        CreditEntryRow.kind == kind,
        CreditEntryRow.reference == reference,
    )
    return (await session.execute(stmt.with_for_update())).scalar_one_or_none()
