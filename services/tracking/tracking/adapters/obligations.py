"""Writing and reading obligations and registrations (set-based; one statement per change)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.platform.db.bulk import array_insert, as_arrays
from tracking.adapters.tables import ObligationRow, QuarterlyReportRow, RegistrationRow
from tracking.domain.obligation_state import ObligationState, move

obligation = cast(Table, ObligationRow.__table__)
registration = cast(Table, RegistrationRow.__table__)


def quarter_index_of(table: Any) -> Any:
    """year * 4 + quarter − 1 in SQL (tracking.domain.reporting_quarters.quarter_index)."""
    return table.c.year * 4 + table.c.quarter - 1


REGISTRATION_COLUMNS = (
    "number",
    "uscc",
    "year",
    "region_code",
    "agency",
    "enterprise_name",
    "industry_code",
    "registered_on",
    "valid_until",
)
_new_registrations = array_insert(registration, REGISTRATION_COLUMNS)
_UPSERT_REGISTRATIONS = _new_registrations.on_conflict_do_update(
    index_elements=[registration.c.number],
    set_={c: _new_registrations.excluded[c] for c in REGISTRATION_COLUMNS if c != "number"},
).returning(registration.c.number, registration.c.revoked_on)


async def upsert_registrations(
    session: AsyncSession, rows: Sequence[dict[str, Any]]
) -> dict[str, date | None]:
    """Record issued registrations (no number twice; the keys of `REGISTRATION_COLUMNS`) in
    one statement; returns each number's revocation date, set when the revocation arrived
    first."""
    result = await session.execute(
        _UPSERT_REGISTRATIONS, as_arrays(registration, REGISTRATION_COLUMNS, rows)
    )
    return {row.number: row.revoked_on for row in result.all()}


async def record_revocation(
    session: AsyncSession, *, number: str, uscc: str, year: int, revoked_on: date, ground: str
) -> None:
    stmt = pg_insert(registration).values(
        number=number, uscc=uscc, year=year, revoked_on=revoked_on, revocation_ground=ground
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[registration.c.number],
        set_={"revoked_on": revoked_on, "revocation_ground": ground},
    )
    await session.execute(stmt)


OBLIGATION_COLUMNS = (
    "uscc",
    "year",
    "quarter",
    "registration_number",
    "policy_year",
    "agency",
    "region_code",
    "industry_code",
    "enterprise_name",
    "due_on",
    "due_on_provisional",
    "state",
)
_INSERT_OBLIGATIONS = (
    array_insert(obligation, OBLIGATION_COLUMNS)
    .on_conflict_do_nothing(constraint="uq_obligation_quarter")
    .returning(
        obligation.c.id,
        obligation.c.year,
        obligation.c.quarter,
        obligation.c.due_on,
        obligation.c.registration_number,
    )
)


async def insert_obligations(
    session: AsyncSession, rows: Sequence[dict[str, Any]]
) -> Sequence[Any]:
    """All `rows` (the keys of `OBLIGATION_COLUMNS`) in one statement; a quarter already
    owed (another registration) is left alone. Returns the rows made."""
    if not rows:
        return []
    result = await session.execute(
        _INSERT_OBLIGATIONS, as_arrays(obligation, OBLIGATION_COLUMNS, rows)
    )
    return result.all()


async def delete_obligations_after(
    session: AsyncSession, uscc: str, registration_number: str, last_kept_index: int
) -> Sequence[Any]:
    stmt = (
        delete(obligation)
        .where(
            obligation.c.uscc == uscc,  # through the (uscc, year, quarter) index
            obligation.c.registration_number == registration_number,
            quarter_index_of(obligation) > last_kept_index,
        )
        .returning(obligation.c.id, obligation.c.year, obligation.c.quarter, obligation.c.state)
    )
    return (await session.execute(stmt)).all()


async def mark_overdue(session: AsyncSession, today: date, now: datetime) -> Sequence[Any]:
    """Every `due` obligation whose due date has passed becomes `overdue` — one statement.

    Only rows still `due` match, so a second run (or a second replica running at the same
    time: the row locks make it re-check the condition) returns nothing.
    """
    # Set-based: the transition table is checked once for the statement's (due, overdue)
    # pair rather than per row; the WHERE clause matches only `due` rows.
    target = move(ObligationState.DUE, ObligationState.OVERDUE)
    stmt = (
        update(obligation)
        .where(obligation.c.state == ObligationState.DUE.value, obligation.c.due_on < today)
        .values(state=target.value, overdue_at=now, updated_at=now)
        .returning(
            obligation.c.id,
            obligation.c.uscc,
            obligation.c.year,
            obligation.c.quarter,
            obligation.c.due_on,
            obligation.c.agency,
            obligation.c.registration_number,
        )
    )
    return (await session.execute(stmt)).all()


async def lock_obligation(
    session: AsyncSession, uscc: str, year: int, quarter: int
) -> ObligationRow | None:
    stmt = (
        select(ObligationRow)
        .where(
            ObligationRow.uscc == uscc,
            ObligationRow.year == year,
            ObligationRow.quarter == quarter,
        )
        .with_for_update()
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def report_of(session: AsyncSession, obligation_id: int) -> QuarterlyReportRow | None:
    return await session.get(QuarterlyReportRow, obligation_id)


async def open_quarters(session: AsyncSession) -> list[tuple[int, int, int]]:
    """The distinct (policy year, year, quarter) still `due` (a handful, whatever the rows)."""
    stmt = (
        select(obligation.c.policy_year, obligation.c.year, obligation.c.quarter)
        .where(obligation.c.state == ObligationState.DUE.value)
        .distinct()
    )
    return [(int(p), int(y), int(q)) for p, y, q in (await session.execute(stmt)).all()]


async def reschedule_open(
    session: AsyncSession,
    due_dates: dict[tuple[int, int, int], tuple[date, bool]],
    now: datetime,
) -> int:
    """Set the due date of every still-`due` obligation of a (policy year, quarter); one
    UPDATE per quarter, touching only the rows whose date changes."""
    changed = 0
    for (policy_year, year, quarter), (due_on, provisional) in due_dates.items():
        result = await session.execute(
            update(obligation)
            .where(
                obligation.c.policy_year == policy_year,
                obligation.c.state == ObligationState.DUE.value,
                obligation.c.year == year,
                obligation.c.quarter == quarter,
                (obligation.c.due_on != due_on) | (obligation.c.due_on_provisional != provisional),
            )
            .values(due_on=due_on, due_on_provisional=provisional, updated_at=now)
        )
        changed += int(getattr(result, "rowcount", 0) or 0)
    return changed
