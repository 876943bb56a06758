"""Publicity batches (公示) in SQL: locking the cases a batch takes in, moving them into it
in two statements however many there are, and loading what the announcement registers."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from review.adapters.tables import PublicityBatchRow, ReviewCaseRow
from review.domain.status import CaseStatus

_MOVE_INTO_BATCH = text("""
    UPDATE review_case SET status = 'in_publicity', batch_id = :batch, updated_at = :now
    WHERE id = ANY(CAST(:ids AS uuid[]))
""")
_HISTORY = text("""
    INSERT INTO review_case_history (case_id, at, action, status, actor, reason)
    SELECT id, :now, 'publicity_started', 'in_publicity', :actor, :batch_text
    FROM unnest(CAST(:ids AS uuid[])) AS id
""")


async def lock_cases(session: AsyncSession, case_ids: Sequence[uuid.UUID]) -> list[ReviewCaseRow]:
    """The named cases, locked, in the order of the list (region, then USCC)."""
    stmt = (
        select(ReviewCaseRow)
        .where(ReviewCaseRow.id.in_(list(case_ids)))
        .order_by(ReviewCaseRow.region_code, ReviewCaseRow.uscc)
        .with_for_update()
    )
    return list((await session.execute(stmt)).scalars().all())


async def move_into_batch(
    session: AsyncSession,
    case_ids: Sequence[uuid.UUID],
    batch_id: uuid.UUID,
    *,
    now: datetime,
    actor: str,
) -> None:
    """Every case into the batch (`in_publicity`) with its history line, in two statements."""
    ids = list(case_ids)
    await session.execute(_MOVE_INTO_BATCH, {"batch": batch_id, "ids": ids, "now": now})
    await session.execute(
        _HISTORY, {"ids": ids, "now": now, "actor": actor, "batch_text": str(batch_id)}
    )


async def lock_batch(session: AsyncSession, batch_id: uuid.UUID) -> PublicityBatchRow | None:
    stmt = select(PublicityBatchRow).where(PublicityBatchRow.id == batch_id).with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def clear_cases(session: AsyncSession, batch_id: uuid.UUID) -> Sequence[Any]:
    """The batch's cases still in publicity (no objection holds them), locked: the
    fields a registration needs (`registry_store.ToRegister`)."""
    stmt = (
        select(
            ReviewCaseRow.id,
            ReviewCaseRow.application_id,
            ReviewCaseRow.uscc,
            ReviewCaseRow.enterprise_name,
            ReviewCaseRow.region_code,
            ReviewCaseRow.industry_code,
            ReviewCaseRow.agency,
        )
        .where(
            ReviewCaseRow.batch_id == batch_id,
            ReviewCaseRow.status == CaseStatus.IN_PUBLICITY.value,
        )
        .with_for_update()
    )
    return (await session.execute(stmt)).all()


async def held_cases(session: AsyncSession, batch_id: uuid.UUID) -> Sequence[Any]:
    """USCC and application of the batch's cases an objection holds."""
    stmt = select(ReviewCaseRow.uscc, ReviewCaseRow.application_id).where(
        ReviewCaseRow.batch_id == batch_id,
        ReviewCaseRow.status == CaseStatus.HELD.value,
    )
    return (await session.execute(stmt)).all()
