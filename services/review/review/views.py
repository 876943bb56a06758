"""Review's reads (the query side, like cosmicpython's views.py): what the routers show.

Every list and single-record read is scoped by `shared.platform.auth.jurisdiction`: an agency sees
its own cases, registrations and spot-check items, the province all, an enterprise its
own registrations. Writes go through `adapters/` inside a unit of work, never from here.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, not_, select
from sqlalchemy.ext.asyncio import AsyncSession

from review.adapters import repository
from review.adapters.tables import (
    CaseHistoryRow,
    PublicityBatchRow,
    PublicNoticeEntryRow,
    PublicNoticeRow,
    RegistrationChangeRow,
    RegistrationRow,
    ReviewCaseRow,
    SpotCheckItemRow,
    SpotCheckRow,
    WarningRow,
)
from review.domain.errors import BatchNotFound, CaseNotFound, SpotCheckNotFound
from review.domain.status import DECIDABLE, CaseStatus
from shared.kernel.errors import NotFound
from shared.platform.auth.jurisdiction import Jurisdiction
from shared.platform.auth.principal import Principal, Role
from shared.platform.web.pagination import PageParams, keyset, page_of

# Cases and spot-check items are staff records (no enterprise reads them here);
# a registration is also readable by its own enterprise.
CASES = Jurisdiction(agency=ReviewCaseRow.agency)
REGISTRATIONS = Jurisdiction(agency=RegistrationRow.agency, uscc=RegistrationRow.uscc)
SPOT_CHECK_ITEMS = Jurisdiction(agency=SpotCheckItemRow.agency)


@dataclass(frozen=True, slots=True)
class CaseView:
    row: ReviewCaseRow
    warnings: list[WarningRow]
    history: list[CaseHistoryRow] | None = None


def _overdue_clause(today: date) -> Any:
    return and_(
        ReviewCaseRow.status.in_([s.value for s in DECIDABLE]), ReviewCaseRow.due_on < today
    )


async def cases(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    today: date,
    year: int | None = None,
    status: CaseStatus | None = None,
    agency: str | None = None,
    overdue: bool | None = None,
) -> tuple[list[CaseView], str | None]:
    """A page of the cases in scope; the province may narrow to one agency."""
    stmt = select(ReviewCaseRow).where(CASES.where(principal))
    if agency is not None and principal.role is Role.PROVINCE:
        stmt = stmt.where(ReviewCaseRow.agency == agency)
    if year is not None:
        stmt = stmt.where(ReviewCaseRow.year == year)
    if status is not None:
        stmt = stmt.where(ReviewCaseRow.status == status.value)
    if overdue is not None:
        clause = _overdue_clause(today)
        stmt = stmt.where(clause if overdue else not_(clause))
    stmt = keyset(
        stmt,
        [ReviewCaseRow.created_at, ReviewCaseRow.id],
        page,
        convert=[datetime.fromisoformat, uuid.UUID],
    )
    rows = (await session.execute(stmt)).scalars().all()
    items, cursor = page_of(rows, page, lambda r: [r.created_at.isoformat(), str(r.id)])
    warnings = await repository.warnings_of(session, [r.id for r in items])
    return [CaseView(r, warnings[r.id]) for r in items], cursor


async def case(
    session: AsyncSession, case_id: uuid.UUID, principal: Principal | None = None
) -> CaseView:
    """One case with its warnings and history; scoped when a principal is given (after a
    command the caller has already been checked by the use case)."""
    row = await repository.get_case(session, case_id)
    if principal is not None:
        row = CASES.require(principal, row, CaseNotFound())
    if row is None:
        raise CaseNotFound()
    warnings = await repository.warnings_of(session, [row.id])
    return CaseView(row, warnings[row.id], await repository.history_of(session, row.id))


async def batch(session: AsyncSession, batch_id: uuid.UUID) -> PublicityBatchRow:
    row = await session.get(PublicityBatchRow, batch_id)
    if row is None:
        raise BatchNotFound()
    return row


async def batch_entries(
    session: AsyncSession, batch_id: uuid.UUID, principal: Principal
) -> Sequence[Any]:
    """The batch's cases; an agency sees the entries of its own jurisdiction."""
    stmt = (
        select(
            ReviewCaseRow.id,
            ReviewCaseRow.application_id,
            ReviewCaseRow.uscc,
            ReviewCaseRow.enterprise_name,
            ReviewCaseRow.region_code,
            ReviewCaseRow.agency,
            ReviewCaseRow.status,
            ReviewCaseRow.registration_number,
        )
        .where(ReviewCaseRow.batch_id == batch_id, CASES.where(principal))
        .order_by(ReviewCaseRow.region_code, ReviewCaseRow.uscc)
    )
    return (await session.execute(stmt)).all()


async def batches(
    session: AsyncSession, page: PageParams
) -> tuple[Sequence[PublicityBatchRow], str | None]:
    stmt = keyset(
        select(PublicityBatchRow),
        [PublicityBatchRow.created_at, PublicityBatchRow.id],
        page,
        convert=[datetime.fromisoformat, uuid.UUID],
    )
    rows = (await session.execute(stmt)).scalars().all()
    return page_of(rows, page, lambda r: [r.created_at.isoformat(), str(r.id)])


async def registrations(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    year: int | None = None,
    region: str | None = None,
    status: str | None = None,
) -> tuple[Sequence[RegistrationRow], str | None]:
    stmt = select(RegistrationRow).where(REGISTRATIONS.where(principal))
    if year is not None:
        stmt = stmt.where(RegistrationRow.year == year)
    if region is not None:
        stmt = stmt.where(RegistrationRow.region_code.startswith(region, autoescape=True))
    if status is not None:
        stmt = stmt.where(RegistrationRow.status == status)
    stmt = keyset(
        stmt,
        [RegistrationRow.created_at, RegistrationRow.number],
        page,
        convert=[datetime.fromisoformat, str],
    )
    rows = (await session.execute(stmt)).scalars().all()
    return page_of(rows, page, lambda r: [r.created_at.isoformat(), r.number])


async def registration_of_year(
    session: AsyncSession, uscc: str, year: int
) -> RegistrationRow | None:
    """The enterprise's registration for the evaluation year (verification: no scope, the
    caller is an external agency or the province)."""
    stmt = select(RegistrationRow).where(RegistrationRow.uscc == uscc, RegistrationRow.year == year)
    return (await session.execute(stmt)).scalar_one_or_none()


async def registration_year(session: AsyncSession, number: str) -> int | None:
    stmt = select(RegistrationRow.year).where(RegistrationRow.number == number)
    return (await session.execute(stmt)).scalar_one_or_none()


async def registration_changes(
    session: AsyncSession, principal: Principal, number: str, not_found: NotFound
) -> list[RegistrationChangeRow]:
    """The change reports of a registration: its enterprise, its agency, the province."""
    REGISTRATIONS.require(principal, await session.get(RegistrationRow, number), not_found)
    stmt = (
        select(RegistrationChangeRow)
        .where(RegistrationChangeRow.number == number)
        .order_by(RegistrationChangeRow.created_at)
    )
    return list((await session.execute(stmt)).scalars())


async def spot_check(
    session: AsyncSession, spot_check_id: uuid.UUID, principal: Principal
) -> tuple[SpotCheckRow, list[SpotCheckItemRow]]:
    """A draw and its sample; an agency sees (and records) its own registrations."""
    check = await session.get(SpotCheckRow, spot_check_id)
    if check is None:
        raise SpotCheckNotFound()
    stmt = (
        select(SpotCheckItemRow)
        .where(SpotCheckItemRow.spot_check_id == spot_check_id, SPOT_CHECK_ITEMS.where(principal))
        .order_by(SpotCheckItemRow.registration_number)
    )
    return check, list((await session.execute(stmt)).scalars())


async def spot_checks(
    session: AsyncSession, page: PageParams
) -> tuple[Sequence[SpotCheckRow], str | None]:
    stmt = keyset(
        select(SpotCheckRow),
        [SpotCheckRow.created_at, SpotCheckRow.id],
        page,
        convert=[datetime.fromisoformat, uuid.UUID],
    )
    rows = (await session.execute(stmt)).scalars().all()
    return page_of(rows, page, lambda r: [r.created_at.isoformat(), str(r.id)])


async def notices(
    session: AsyncSession, page: PageParams, *, kind: str | None, year: int | None
) -> tuple[list[PublicNoticeRow], str | None]:
    """Public notices, newest first (public: no scope, and no contact data in them)."""
    stmt = select(PublicNoticeRow)
    if kind is not None:
        stmt = stmt.where(PublicNoticeRow.kind == kind)
    if year is not None:
        stmt = stmt.where(PublicNoticeRow.year == year)
    stmt = keyset(
        stmt,
        [PublicNoticeRow.published_on, PublicNoticeRow.created_at, PublicNoticeRow.id],
        page,
        convert=[date.fromisoformat, datetime.fromisoformat, uuid.UUID],
    )
    rows = list((await session.execute(stmt)).scalars().all())
    return page_of(
        rows,
        page,
        lambda r: [r.published_on.isoformat(), r.created_at.isoformat(), str(r.id)],
    )


async def notice(session: AsyncSession, notice_id: uuid.UUID) -> PublicNoticeRow | None:
    return await session.get(PublicNoticeRow, notice_id)


async def notice_entries(
    session: AsyncSession, notice_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[PublicNoticeEntryRow]]:
    """The entries of a page of notices in one query."""
    entries: dict[uuid.UUID, list[PublicNoticeEntryRow]] = {i: [] for i in notice_ids}
    if not notice_ids:
        return entries
    stmt = (
        select(PublicNoticeEntryRow)
        .where(PublicNoticeEntryRow.notice_id.in_(list(notice_ids)))
        .order_by(
            PublicNoticeEntryRow.notice_id,
            PublicNoticeEntryRow.registration_number,
            PublicNoticeEntryRow.region_code,
            PublicNoticeEntryRow.uscc,
        )
    )
    for e in (await session.execute(stmt)).scalars():
        entries[e.notice_id].append(e)
    return entries
