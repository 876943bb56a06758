"""Objections (异议) as review knows them, in SQL: the objection and the case it holds,
locked, and whether a case still has an objection standing."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from review.adapters.tables import ObjectionRow, PublicityBatchRow, ReviewCaseRow


async def lock_case_in_batch(
    session: AsyncSession, batch_id: uuid.UUID, uscc: str
) -> ReviewCaseRow | None:
    stmt = (
        select(ReviewCaseRow)
        .where(ReviewCaseRow.batch_id == batch_id, ReviewCaseRow.uscc == uscc)
        .with_for_update()
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def lock_objection(session: AsyncSession, supervision_case_id: str) -> ObjectionRow | None:
    stmt = (
        select(ObjectionRow)
        .where(ObjectionRow.supervision_case_id == supervision_case_id)
        .with_for_update()
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def lock_batch_row(session: AsyncSession, batch_id: uuid.UUID) -> None:
    """Wait for an announcement of the batch in flight (its row lock), loading nothing."""
    await session.execute(
        select(PublicityBatchRow.id).where(PublicityBatchRow.id == batch_id).with_for_update()
    )


async def standing_objections(session: AsyncSession, case_id: uuid.UUID, *, dismissed: str) -> int:
    """How many objections to the case are open or upheld (in any state but `dismissed`)."""
    stmt = (
        select(func.count())
        .select_from(ObjectionRow)
        .where(ObjectionRow.review_case_id == case_id, ObjectionRow.state != dismissed)
    )
    return int((await session.execute(stmt)).scalar_one())
