"""Saving warnings: a case's own set (sync), and the cross-enterprise ones a new submission
raises or clears on other cases (set-based upserts)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import orjson
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
    existing = {
        (r.code, r.subject): r
        for r in (
            await session.execute(select(WarningRow).where(WarningRow.case_id == case_id))
        ).scalars()
    }
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
    await session.flush()


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


async def clear_on_cases(
    session: AsyncSession, case_ids: Sequence[uuid.UUID], code: str, subject: str, now: datetime
) -> None:
    if not case_ids:
        return
    await session.execute(
        text("""
            UPDATE review_warning
            SET resolved = true, resolution = :cleared, resolved_at = :now
            WHERE case_id = ANY(CAST(:ids AS uuid[])) AND code = :code AND subject = :subject
              AND NOT resolved
        """),
        {"cleared": CLEARED, "now": now, "ids": list(case_ids), "code": code, "subject": subject},
    )


_UPSERT_FOR_CONTACT = text("""
    INSERT INTO review_warning
        (case_id, code, subject, severity, message, message_en, data, raised_at, resolved)
    SELECT c.case_id, :code, :subject, :severity, :message, :message_en,
           CAST(:data AS jsonb), :now, false
    FROM case_contact c
    WHERE c.year = :year AND c.kind = :kind AND c.value = :value AND c.case_id <> :exclude
    ON CONFLICT ON CONSTRAINT uq_review_warning_case_code_subject DO UPDATE SET
        severity = excluded.severity, message = excluded.message,
        message_en = excluded.message_en, data = excluded.data,
        resolved = review_warning.resolution IS NOT DISTINCT FROM 'noted',
        resolution = CASE WHEN review_warning.resolution = 'noted' THEN 'noted' END,
        resolved_at = CASE WHEN review_warning.resolution = 'noted'
                           THEN review_warning.resolved_at END
""")

_CLEAR_FOR_CONTACT = text("""
    UPDATE review_warning w
    SET resolved = true, resolution = 'cleared', resolved_at = :now
    FROM case_contact c
    WHERE c.year = :year AND c.kind = :kind AND c.value = :value AND c.case_id <> :exclude
      AND w.case_id = c.case_id AND w.code = :code AND w.subject = :subject AND NOT w.resolved
""")


async def raise_for_contact(
    session: AsyncSession,
    year: int,
    kind: str,
    value: str,
    warning: RaisedWarning,
    exclude: uuid.UUID,
    now: datetime,
) -> None:
    """Every other case with this contact this year gets the warning (one statement)."""
    await session.execute(
        _UPSERT_FOR_CONTACT,
        {
            "code": warning.code,
            "subject": warning.subject,
            "severity": warning.severity,
            "message": warning.message,
            "message_en": warning.message_en,
            "data": orjson.dumps(dict(warning.data)).decode(),
            "now": now,
            "year": year,
            "kind": kind,
            "value": value,
            "exclude": exclude,
        },
    )


async def clear_for_contact(
    session: AsyncSession,
    year: int,
    kind: str,
    value: str,
    code: str,
    subject: str,
    exclude: uuid.UUID,
    now: datetime,
) -> None:
    await session.execute(
        _CLEAR_FOR_CONTACT,
        {
            "now": now,
            "year": year,
            "kind": kind,
            "value": value,
            "exclude": exclude,
            "code": code,
            "subject": subject,
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
