"""Loading and saving applications (scoped queries live here, not in routers)."""

from __future__ import annotations

import typing
import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    and_,
    any_,
    bindparam,
    cast,
    insert,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from intake.adapters.tables import ApplicationRow, RevocationRow, TimelineRow
from intake.domain.applying import Revocation
from intake.domain.status import (
    LIVE,
    ApplicationStatus,
    BatchMove,
    EventSubject,
    RegistrationMove,
    check_registration_run,
    move,
)
from shared.platform.db.bulk import array_rows, as_arrays

_application = typing.cast(Table, ApplicationRow.__table__)
_timeline = typing.cast(Table, TimelineRow.__table__)
_REGISTRATION_COLUMNS = ("id", "status", "updated_at", "registration_number")
_registrations = array_rows(_application, _REGISTRATION_COLUMNS).subquery("registrations")


async def get_application(
    session: AsyncSession, application_id: uuid.UUID, *, for_update: bool = False
) -> ApplicationRow | None:
    stmt = select(ApplicationRow).where(ApplicationRow.id == application_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def live_application(
    session: AsyncSession,
    uscc: str,
    year: int,
    *,
    statuses: Collection[ApplicationStatus] = LIVE,
    for_update: bool = False,
) -> ApplicationRow | None:
    """The enterprise's live application of the year (at most one, by the unique index)."""
    stmt = select(ApplicationRow).where(
        ApplicationRow.uscc == uscc,
        ApplicationRow.year == year,
        ApplicationRow.status.in_([s.value for s in statuses]),
    )
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt.limit(1))).scalar_one_or_none()


async def applications_for_events(
    session: AsyncSession,
    *,
    ids: Collection[uuid.UUID],
    live_of: Collection[tuple[str, int]],
    statuses: Collection[ApplicationStatus],
) -> tuple[dict[uuid.UUID, EventSubject], dict[tuple[str, int], EventSubject]]:
    """For a run of events, in one locking query: the applications named by id, and the
    live application (in one of `statuses`) of each (USCC, year) named without an id."""
    matches: list[ColumnElement[bool]] = []
    if ids:
        matches.append(_application.c.id.in_(list(ids)))
    if live_of:
        matches.append(
            and_(
                tuple_(_application.c.uscc, _application.c.year).in_(list(live_of)),
                _application.c.status.in_([s.value for s in statuses]),
            )
        )
    if not matches:
        return {}, {}
    # Columns, not ORM rows: nothing enters the session to be flushed back stale after
    # `register_many` writes the run (and thousands of rows are not built at an announcement).
    stmt = (
        select(_application.c.id, _application.c.uscc, _application.c.year, _application.c.status)
        .where(or_(*matches))
        .order_by(_application.c.id)  # one lock order for every batch
        .with_for_update()
    )
    found = [
        EventSubject(r.id, r.uscc, r.year, ApplicationStatus(r.status))
        for r in await session.execute(stmt)
    ]
    wanted = set(live_of)
    live = {
        (r.uscc, r.year): r for r in found if (r.uscc, r.year) in wanted and r.status in statuses
    }
    return {r.id: r for r in found if r.id in ids}, live


async def timeline_of(session: AsyncSession, application_id: uuid.UUID) -> list[TimelineRow]:
    # Insertion order is the order the changes were applied, whatever clocks the events had.
    stmt = (
        select(TimelineRow)
        .where(TimelineRow.application_id == application_id)
        .order_by(TimelineRow.id)
    )
    return list((await session.execute(stmt)).scalars().all())


async def timelines_of(
    session: AsyncSession, application_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[TimelineRow]]:
    """The timelines of a page of applications in one query."""
    if not application_ids:
        return {}
    stmt = (
        select(TimelineRow)
        .where(TimelineRow.application_id.in_(application_ids))
        .order_by(TimelineRow.application_id, TimelineRow.id)
    )
    grouped: dict[uuid.UUID, list[TimelineRow]] = defaultdict(list)
    for row in (await session.execute(stmt)).scalars():
        grouped[row.application_id].append(row)
    return grouped


def record_created(session: AsyncSession, application: ApplicationRow, at: datetime) -> None:
    """A new application: the row and the first entry of its timeline (its initial status)."""
    session.add(application)
    session.add(
        TimelineRow(application_id=application.id, at=at, status=application.status, reason=None)
    )


def record_status(
    session: AsyncSession,
    application: ApplicationRow,
    status: ApplicationStatus,
    at: datetime,
    reason: str | None = None,
    *,
    by_event: bool = False,
) -> None:
    """Move the application to `status` (checked by `move()`, 409 if the table refuses)."""
    move(ApplicationStatus(application.status), status, by_event=by_event)
    application.status = status.value
    application.updated_at = at
    session.add(
        TimelineRow(application_id=application.id, at=at, status=status.value, reason=reason)
    )


async def move_many(session: AsyncSession, batch: BatchMove) -> list[uuid.UUID]:
    """Set-based status change of a batch (e.g. every entry of a publicity batch).

    Matches the applications of the batch's year named by id, or by USCC for entries
    without an id (at most one live application per enterprise and year), that are in one
    of its sources; returns the ids it moved. Two statements whatever the batch size.
    """
    # Set-based: the transition table is checked once per (source, target) pair, not per
    # row; the WHERE clause only matches rows in one of those sources.
    batch.check()
    if not batch.application_ids and not batch.usccs:
        return []
    matches = []
    if batch.application_ids:
        matches.append(ApplicationRow.id.in_(list(batch.application_ids)))
    if batch.usccs:
        matches.append(ApplicationRow.uscc.in_(list(batch.usccs)))
    moved = (
        (
            await session.execute(
                update(ApplicationRow)
                .where(
                    and_(
                        ApplicationRow.year == batch.year,
                        ApplicationRow.status.in_([s.value for s in batch.sources]),
                        or_(*matches),
                    )
                )
                .values(status=batch.target.value, updated_at=batch.at)
                .returning(ApplicationRow.id)
                .execution_options(synchronize_session=False)
            )
        )
        .scalars()
        .all()
    )
    if moved:
        await session.execute(
            insert(TimelineRow),
            [
                {
                    "application_id": i,
                    "at": batch.at,
                    "status": batch.target.value,
                    "reason": batch.reason,
                }
                for i in moved
            ],
        )
    return list(moved)


# One statement for a run of registrations, whatever its size (the SQL does not depend on
# it: compiled once, prepared once per connection): the applications' new status, time and
# number arrive as one array per column; the rows it moved feed the timeline insert.
_REGISTERED = (
    update(_application)
    .where(
        _application.c.id == _registrations.c.id,
        # Only rows in a source `move()` checked for this run (they are locked by the run).
        _application.c.status == any_(cast(bindparam("sources"), ARRAY(String))),
    )
    .values(
        status=_registrations.c.status,
        updated_at=_registrations.c.updated_at,
        registration_number=_registrations.c.registration_number,
    )
    .returning(
        _application.c.id,
        _application.c.status,
        _application.c.updated_at,
        _application.c.registration_number,
    )
    .cte("registered")
)
_REGISTER = (
    insert(_timeline)
    .from_select(
        ["application_id", "status", "at", "reason"],
        select(
            _REGISTERED.c.id,
            _REGISTERED.c.status,
            _REGISTERED.c.updated_at,
            _REGISTERED.c.registration_number,
        ),
    )
    .add_cte(_REGISTERED)
    .returning(_timeline.c.application_id)
)


async def register_many(
    session: AsyncSession, moves: Sequence[RegistrationMove]
) -> list[uuid.UUID]:
    """Write a run of registrations (each move checked by `move()`) and their timeline
    entries in one statement; the ids it moved."""
    if not moves:
        return []
    check_registration_run(moves)
    rows = [
        {
            "id": m.application_id,
            "status": m.step.target.value,
            "updated_at": m.at,
            "registration_number": m.number,
        }
        for m in moves
    ]
    parameters = as_arrays(_application, _REGISTRATION_COLUMNS, rows)
    parameters["sources"] = sorted({m.step.source.value for m in moves})
    return list((await session.execute(_REGISTER, parameters)).scalars())


async def revocations_of(session: AsyncSession, uscc: str) -> list[Revocation]:
    rows = (
        await session.execute(select(RevocationRow).where(RevocationRow.uscc == uscc))
    ).scalars()
    return [
        Revocation(number=r.number, registration_year=r.year, revoked_on=r.revoked_on) for r in rows
    ]


async def lock_drafts_of_year(session: AsyncSession, year: int) -> list[ApplicationRow]:
    """The year's drafts, locked (drafts an enterprise is saving right now are skipped)."""
    stmt = (
        select(ApplicationRow)
        .where(
            ApplicationRow.year == year,
            ApplicationRow.status == ApplicationStatus.DRAFT.value,
        )
        .with_for_update(skip_locked=True)
    )
    return list((await session.execute(stmt)).scalars().all())


async def bar_after_revocation(session: AsyncSession, bar: dict[str, Any]) -> str | None:
    """Remember a revocation that bars the enterprise from applying again; the number if
    it is new, None if it was already known (a redelivery)."""
    stmt = (
        pg_insert(RevocationRow)
        .values(**bar)
        .on_conflict_do_nothing()
        .returning(RevocationRow.number)
    )
    number: str | None = (await session.execute(stmt)).scalar_one_or_none()
    return number
