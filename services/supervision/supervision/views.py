"""Supervision's reads (the query side, like cosmicpython's views.py): what the routers
show. Lists and single records are scoped by `shared.platform.auth.jurisdiction`: an agency sees
the cases and revocations of its jurisdiction, the province all, an enterprise its own
revocations once it has been told. (`service_layer/views.py` is something else: the local
copies of review's registry and publicity batches, rebuilt from events.)
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.platform.auth.jurisdiction import Jurisdiction
from shared.platform.auth.principal import Principal, Role
from shared.platform.web.pagination import PageParams, keyset, page_of
from supervision.adapters import repository
from supervision.adapters.tables import (
    CaseRow,
    CaseStepRow,
    CreditEntryRow,
    RegistrationRow,
    RevocationRow,
    SupervisionChannelRow,
)
from supervision.domain.errors import CaseNotFound, RevocationNotFound

# Cases are handled by staff only (the filer's view is the public receipt); a revocation
# is also shown to its enterprise, and a registration is proposed for by its agency.
CASES = Jurisdiction(agency=CaseRow.agency)
REVOCATIONS = Jurisdiction(agency=RevocationRow.agency, uscc=RevocationRow.uscc)
REGISTRATIONS = Jurisdiction(agency=RegistrationRow.agency)


async def cases(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    today: date,
    kind: str | None = None,
    status: str | None = None,
    overdue: bool | None = None,
    subject_uscc: str | None = None,
    batch_id: str | None = None,
    agency: str | None = None,
) -> tuple[list[CaseRow], str | None]:
    """A page of the cases in scope, oldest first; the province may narrow to one agency."""
    stmt = select(CaseRow).where(CASES.where(principal))
    if agency is not None and principal.role is Role.PROVINCE:
        stmt = stmt.where(CaseRow.agency == agency)
    if kind is not None:
        stmt = stmt.where(CaseRow.kind == kind)
    if status is not None:
        stmt = stmt.where(CaseRow.status == status)
    if overdue is True:
        stmt = stmt.where(CaseRow.due_on < today)
    elif overdue is False:
        stmt = stmt.where((CaseRow.due_on.is_(None)) | (CaseRow.due_on >= today))
    if subject_uscc is not None:
        stmt = stmt.where(CaseRow.subject_uscc == subject_uscc)
    if batch_id is not None:
        stmt = stmt.where(CaseRow.batch_id == batch_id)
    stmt = keyset(
        stmt,
        [CaseRow.filed_at, CaseRow.id],
        page,
        convert=[datetime.fromisoformat, uuid.UUID],
    )
    rows = (await session.execute(stmt)).scalars().all()
    return page_of(rows, page, lambda r: [r.filed_at.isoformat(), str(r.id)])


async def case_detail(
    session: AsyncSession, principal: Principal, case_id: uuid.UUID
) -> tuple[CaseRow, list[CaseStepRow]]:
    """A case of the principal's jurisdiction with its handling steps (404 otherwise)."""
    row = CASES.require(principal, await repository.get_case(session, case_id), CaseNotFound())
    return row, await repository.steps_of(session, case_id)


async def registration_year(session: AsyncSession, number: str) -> int | None:
    """The evaluation year of a registration in the local registry (None if unknown)."""
    row = await repository.registration(session, number)
    return None if row is None else row.year


async def revocation_year(session: AsyncSession, revocation_id: uuid.UUID) -> int:
    """The evaluation year of any revocation (the province's reads); 404 if unknown."""
    row = await repository.get_revocation(session, revocation_id)
    if row is None:
        raise RevocationNotFound()
    return row.year


async def revocations(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    status: str | None,
    year: int | None,
    uscc: str | None,
    ground: str | None,
) -> tuple[list[RevocationRow], str | None]:
    stmt = select(RevocationRow).where(REVOCATIONS.where(principal))
    if principal.role is Role.ENTERPRISE:
        # The enterprise sees its own once it has been told (a proposal is internal).
        stmt = stmt.where(RevocationRow.notified_on.is_not(None))
    if status is not None:
        stmt = stmt.where(RevocationRow.status == status)
    if year is not None:
        stmt = stmt.where(RevocationRow.year == year)
    if uscc is not None:
        stmt = stmt.where(RevocationRow.uscc == uscc)
    if ground is not None:
        stmt = stmt.where(RevocationRow.ground == ground)
    stmt = keyset(
        stmt,
        [RevocationRow.created_at, RevocationRow.id],
        page,
        convert=[datetime.fromisoformat, uuid.UUID],
    )
    rows = (await session.execute(stmt)).scalars().all()
    return page_of(rows, page, lambda r: [r.created_at.isoformat(), str(r.id)])


async def revocation(
    session: AsyncSession, principal: Principal, revocation_id: uuid.UUID
) -> RevocationRow:
    row = REVOCATIONS.require(
        principal, await repository.get_revocation(session, revocation_id), RevocationNotFound()
    )
    if principal.role is Role.ENTERPRISE and row.notified_on is None:
        raise RevocationNotFound()
    return row


async def credit_entries(
    session: AsyncSession, uscc: str, page: PageParams
) -> tuple[list[CreditEntryRow], str | None]:
    """The credit archive of an enterprise (contract.md: readable by every agency and the
    external systems, so not scoped by jurisdiction)."""
    stmt = keyset(
        select(CreditEntryRow).where(CreditEntryRow.uscc == uscc),
        [CreditEntryRow.starts_on, CreditEntryRow.id],
        page,
        convert=[date.fromisoformat, uuid.UUID],
    )
    rows = (await session.execute(stmt)).scalars().all()
    return page_of(rows, page, lambda r: [r.starts_on.isoformat(), str(r.id)])


async def channels(session: AsyncSession) -> dict[str, SupervisionChannelRow]:
    """Every supervision channel set so far, by organisation code (public)."""
    rows: Sequence[SupervisionChannelRow] = (
        (await session.execute(select(SupervisionChannelRow))).scalars().all()
    )
    return {r.org: r for r in rows}
