"""Saving warnings: a case's own set (sync), and the cross-enterprise ones a new submission
raises or clears on other cases (set-based upserts)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import case, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from review.adapters.tables import WarningRow
from review.domain.warnings import RaisedWarning

CLEARED = "cleared"  # the condition no longer holds
NOTED = "noted"  # the approving agency wrote a note on a `warn`


async def sync_case_warnings(
    session: AsyncSession, case_id: uuid.UUID, raised: Sequence[RaisedWarning], now: datetime
) -> None:
    """Make the case's warnings the `raised` set: new ones open, cleared ones resolved,
    ones that fire again reopened. Notes written at approval stay."""
    stored = await session.execute(select(WarningRow).where(WarningRow.case_id == case_id))
    apply_case_warnings(session, case_id, list(stored.scalars()), raised, now)
    await session.flush()


def apply_case_warnings(
    session: AsyncSession,
    case_id: uuid.UUID,
    stored: Sequence[WarningRow],
    raised: Sequence[RaisedWarning],
    now: datetime,
) -> None:
    """`sync_case_warnings` on the case's warnings read beforehand (a batch reads all its
    cases' at once); the caller flushes."""
    existing = {(r.code, r.subject): r for r in stored}
    current = {(w.code, w.subject): w for w in raised}
    for key, warning in current.items():
        row = existing.get(key)
        if row is None:
            session.add(
                WarningRow(
                    case_id=case_id,
                    code=warning.code,
                    subject=warning.subject,
                    severity=warning.severity,
                    message=warning.message,
                    message_en=warning.message_en,
                    data=dict(warning.data),
                    raised_at=now,
                    resolved=False,
                )
            )
            continue
        row.severity = warning.severity
        row.message = warning.message
        row.message_en = warning.message_en
        row.data = dict(warning.data)
        if row.resolved and row.resolution == CLEARED:
            row.resolved, row.resolution, row.resolved_at = False, None, None
            row.raised_at = now
    for key, row in existing.items():
        if key not in current and not row.resolved:
            row.resolved, row.resolution, row.resolved_at = True, CLEARED, now


async def upsert_on_cases(
    session: AsyncSession, items: Sequence[tuple[uuid.UUID, RaisedWarning]], now: datetime
) -> None:
    """Raise (or refresh) one warning on each of several cases in one statement."""
    if not items:
        return
    stmt = pg_insert(WarningRow).values(
        [
            {
                "case_id": case_id,
                "code": w.code,
                "subject": w.subject,
                "severity": w.severity,
                "message": w.message,
                "message_en": w.message_en,
                "data": dict(w.data),
                "raised_at": now,
                "resolved": False,
            }
            for case_id, w in items
        ]
    )
    noted = WarningRow.resolution == NOTED
    await session.execute(
        stmt.on_conflict_do_update(
            constraint="uq_review_warning_case_code_subject",
            set_={
                "severity": stmt.excluded.severity,
                "message": stmt.excluded.message,
                "message_en": stmt.excluded.message_en,
                "data": stmt.excluded.data,
                "resolved": case((noted, True), else_=False),
                "resolution": case((noted, NOTED), else_=None),
                "resolved_at": case((noted, WarningRow.resolved_at), else_=None),
            },
        )
    )


async def clear_many(
    session: AsyncSession, targets: Sequence[tuple[uuid.UUID, str, str]], now: datetime
) -> None:
    """Resolve as cleared each open (case, code, subject) warning, in one statement."""
    if not targets:
        return
    await session.execute(
        text("""
            UPDATE review_warning w
            SET resolved = true, resolution = :cleared, resolved_at = :now
            FROM unnest(CAST(:ids AS uuid[]), CAST(:codes AS text[]), CAST(:subjects AS text[]))
                 AS t(case_id, code, subject)
            WHERE w.case_id = t.case_id AND w.code = t.code AND w.subject = t.subject
              AND NOT w.resolved
        """),
        {
            "cleared": CLEARED,
            "now": now,
            "ids": [t[0] for t in targets],
            "codes": [t[1] for t in targets],
            "subjects": [t[2] for t in targets],
        },
    )


async def lock_open_warnings(session: AsyncSession, case_id: uuid.UUID) -> list[WarningRow]:
    """The case's unresolved warnings, locked while a decision resolves or keeps them."""
    stmt = (
        select(WarningRow)
        .where(WarningRow.case_id == case_id, WarningRow.resolved.is_(False))
        .with_for_update()
    )
    return list((await session.execute(stmt)).scalars())
