"""The local copies of review's registry and publicity batches in SQL: upserts, so a
redelivered event changes nothing and an out-of-order one fills in what it knows."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.platform.db.bulk import array_insert, as_arrays
from supervision.adapters.tables import PublicityBatchRow, PublicityEntryRow, RegistrationRow

_registration = cast(Table, RegistrationRow.__table__)


async def upsert_registration(
    session: AsyncSession, number: str, values: dict[str, Any], *, update: dict[str, Any]
) -> None:
    """Insert the registration `number` with `values`, or set `update` on the known one."""
    await session.execute(
        pg_insert(RegistrationRow)
        .values(number=number, **values)
        .on_conflict_do_update(index_elements=[RegistrationRow.number], set_=update)
    )


async def upsert_registrations(
    session: AsyncSession, rows: list[dict[str, Any]], *, update: Collection[str]
) -> None:
    """Several registrations in one statement (no number twice): insert each, or set the
    `update` columns of the known one."""
    if not rows:
        return
    # One statement for any number of rows (`shared.platform.db.bulk`): a VALUES list is
    # compiled anew per row count, about a millisecond per row.
    columns = tuple(rows[0])
    stmt = array_insert(_registration, columns)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[_registration.c.number],
            set_={column: stmt.excluded[column] for column in update},
        ),
        as_arrays(_registration, columns, rows),
    )


async def upsert_batch(session: AsyncSession, batch_id: str, period: dict[str, Any]) -> None:
    await session.execute(
        pg_insert(PublicityBatchRow)
        .values(id=batch_id, **period)
        .on_conflict_do_update(index_elements=[PublicityBatchRow.id], set_=period)
    )


async def upsert_entries(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """The batch's entries in one statement: SQLAlchemy sends the rows as multi-row INSERTs
    ("insertmanyvalues", within PostgreSQL's parameter limit). The rows must name each USCC
    once (ON CONFLICT cannot touch a row twice in one statement)."""
    stmt = pg_insert(PublicityEntryRow)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[PublicityEntryRow.batch_id, PublicityEntryRow.uscc],
            set_={
                "name": stmt.excluded.name,
                "agency": stmt.excluded.agency,
                "case_id": stmt.excluded.case_id,
                "starts_on": stmt.excluded.starts_on,
            },
        ),
        rows,
    )
