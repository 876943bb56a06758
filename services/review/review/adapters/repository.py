"""Loading review cases and what hangs off them (scoped queries live here, not in routers)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import any_, func, select
from sqlalchemy.dialects.postgresql import array, distinct_on
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from review.adapters.tables import CaseHistoryRow, CreditRecordRow, ReviewCaseRow, WarningRow
from review.domain.warnings import CreditEntry


async def get_case(
    session: AsyncSession, case_id: uuid.UUID, *, for_update: bool = False
) -> ReviewCaseRow | None:
    stmt = select(ReviewCaseRow).where(ReviewCaseRow.id == case_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def case_of_application(
    session: AsyncSession, application_id: uuid.UUID, *, for_update: bool = False
) -> ReviewCaseRow | None:
    stmt = select(ReviewCaseRow).where(ReviewCaseRow.application_id == application_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def cases_of_enterprise(
    session: AsyncSession, uscc: str, statuses: Sequence[str]
) -> list[ReviewCaseRow]:
    stmt = (
        select(ReviewCaseRow)
        .where(ReviewCaseRow.uscc == uscc, ReviewCaseRow.status.in_(list(statuses)))
        .order_by(ReviewCaseRow.year, ReviewCaseRow.created_at)
        .with_for_update()
    )
    return list((await session.execute(stmt)).scalars().all())


async def credit_entries_of(
    session: AsyncSession, usccs: Collection[str]
) -> dict[str, tuple[CreditEntry, ...]]:
    """Each enterprise's credit entries (by start, then key), in one query."""
    if not usccs:
        return {}
    stmt = (
        select(CreditRecordRow)
        .where(CreditRecordRow.uscc.in_(sorted(usccs)))
        .order_by(CreditRecordRow.uscc, CreditRecordRow.starts_on, CreditRecordRow.entry_key)
    )
    found: dict[str, list[CreditEntry]] = defaultdict(list)
    for r in (await session.execute(stmt)).scalars():
        found[r.uscc].append(
            CreditEntry(r.entry_key, r.kind, r.source, r.starts_on, r.ends_on, r.detail)
        )
    return {uscc: tuple(entries) for uscc, entries in found.items()}


async def previous_year_forms(
    session: AsyncSession, wanted: Collection[tuple[str, int]]
) -> dict[tuple[str, int], dict[str, Any]]:
    """(uscc, year) → the form of the enterprise's latest case of that year (not withdrawn)."""
    if not wanted:
        return {}
    stmt = (
        select(ReviewCaseRow.uscc, ReviewCaseRow.year, ReviewCaseRow.form)
        # Two arrays, not `(uscc, year) IN (…)`: see cross_checks._any_of; exact pairs below.
        .where(ReviewCaseRow.uscc == any_(array(sorted({u for u, _ in wanted}))))
        .where(ReviewCaseRow.year == any_(array(sorted({y for _, y in wanted}))))
        .where(ReviewCaseRow.status != "withdrawn")
        .order_by(ReviewCaseRow.uscc, ReviewCaseRow.year, ReviewCaseRow.created_at.desc())
        .ext(distinct_on(ReviewCaseRow.uscc, ReviewCaseRow.year))
    )
    rows = (await session.execute(stmt)).all()
    pairs = set(wanted)
    return {(r.uscc, r.year): r.form for r in rows if (r.uscc, r.year) in pairs}


async def first_years(session: AsyncSession, usccs: Collection[str]) -> dict[str, int]:
    """Each enterprise's earliest year with a case (not withdrawn), in one query."""
    if not usccs:
        return {}
    stmt = (
        select(ReviewCaseRow.uscc, func.min(ReviewCaseRow.year))
        .where(ReviewCaseRow.uscc.in_(sorted(usccs)), ReviewCaseRow.status != "withdrawn")
        .group_by(ReviewCaseRow.uscc)
    )
    return {uscc: int(year) for uscc, year in (await session.execute(stmt)).all()}


async def cases_of_applications(
    session: AsyncSession, application_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, ReviewCaseRow]:
    """The cases of these applications, locked (in one lock order), in one query."""
    if not application_ids:
        return {}
    stmt = (
        select(ReviewCaseRow)
        .where(ReviewCaseRow.application_id.in_(sorted(application_ids)))
        .order_by(ReviewCaseRow.id)
        .with_for_update()
    )
    return {c.application_id: c for c in (await session.execute(stmt)).scalars()}


async def warnings_of(
    session: AsyncSession, case_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[WarningRow]]:
    """The warnings of a page of cases in one query."""
    if not case_ids:
        return {}
    stmt = (
        select(WarningRow)
        .where(WarningRow.case_id.in_(list(case_ids)))
        .order_by(WarningRow.case_id, WarningRow.id)
    )
    grouped: dict[uuid.UUID, list[WarningRow]] = {cid: [] for cid in case_ids}
    for row in (await session.execute(stmt)).scalars():
        grouped[row.case_id].append(row)
    return grouped


async def history_of(session: AsyncSession, case_id: uuid.UUID) -> list[CaseHistoryRow]:
    stmt = (
        select(CaseHistoryRow)
        .where(CaseHistoryRow.case_id == case_id)
        .order_by(CaseHistoryRow.at, CaseHistoryRow.id)
    )
    return list((await session.execute(stmt)).scalars().all())


def record_history(
    session: AsyncSession,
    case: ReviewCaseRow,
    action: str,
    at: datetime,
    *,
    actor: str | None,
    reason: str | None = None,
) -> None:
    session.add(
        CaseHistoryRow(
            case_id=case.id, at=at, action=action, status=case.status, actor=actor, reason=reason
        )
    )


async def lock_cases_of_year(
    session: AsyncSession, year: int, statuses: Sequence[str]
) -> list[ReviewCaseRow]:
    """The year's cases in one of `statuses`, locked, by USCC (the year close)."""
    stmt = (
        select(ReviewCaseRow)
        .where(ReviewCaseRow.year == year, ReviewCaseRow.status.in_(list(statuses)))
        .order_by(ReviewCaseRow.uscc)
        .with_for_update()
    )
    return list((await session.execute(stmt)).scalars().all())


async def upsert_credit_record(session: AsyncSession, values: dict[str, Any]) -> None:
    """Record a credit entry, or close (or correct) its interval on a later event. A closed
    interval is never reopened (the archive never does so): an older event replayed late,
    e.g. from the dead letters, must not bring back a lifted listing."""
    stmt = pg_insert(CreditRecordRow).values(**values)
    update: dict[str, Any] = {k: stmt.excluded[k] for k in values if k != "entry_key"}
    update["ends_on"] = func.coalesce(stmt.excluded.ends_on, CreditRecordRow.ends_on)
    await session.execute(
        stmt.on_conflict_do_update(index_elements=[CreditRecordRow.entry_key], set_=update)
    )
