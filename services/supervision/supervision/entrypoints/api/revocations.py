"""/api/v1/revocations — revocation of registration numbers (撤销登记编号).

The province decides (`POST /revocations` → `decided`, or confirms a proposal); an
agency's `POST /revocations` is a proposal for the province (`proposed`), for an
enterprise of its jurisdiction. Proposals also come from joint punishment and failed spot
checks; `GET /revocation-proposals` lists the open ones.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select

from shared.auth.principal import Principal, Role
from shared.evaluation.form import USCC_PATTERN
from shared.events.payloads.supervision import RevocationGround
from shared.web.auth import require_roles
from shared.web.deps import Runtime
from shared.web.pagination import Page, PageParams, PageQuery, keyset, page_of
from supervision.adapters import repository
from supervision.adapters.tables import RevocationRow
from supervision.domain.errors import RevocationNotFound
from supervision.domain.revocation import RevocationStatus
from supervision.entrypoints.api.schemas import (
    ConfirmIn,
    DismissIn,
    RevocationIn,
    RevocationOut,
    RevocationStatusFilter,
)
from supervision.service_layer import revocations

router = APIRouter(prefix="/api/v1/revocations", tags=["revocations"])
proposals_router = APIRouter(prefix="/api/v1/revocation-proposals", tags=["revocations"])

Staff = Annotated[Principal, Depends(require_roles(Role.AGENCY, Role.PROVINCE))]
Province = Annotated[Principal, Depends(require_roles(Role.PROVINCE))]


@router.post("", status_code=201, response_model=RevocationOut)
async def create_revocation(
    body: RevocationIn, principal: Staff, runtime: Runtime
) -> RevocationOut:
    """撤销入库登记：省级直接决定，机构提出建议。
    Province: decide now (`decided`, emits `revocation.decided`). Agency: propose."""
    async with runtime.uow(principal.actor) as uow:
        if principal.role is Role.PROVINCE:
            row = await revocations.decide(
                uow,
                principal,
                number=body.registration_number,
                ground=body.ground,
                basis=body.basis,
                today=runtime.clock.today(),
            )
        else:
            row = await revocations.propose(
                uow,
                principal,
                number=body.registration_number,
                ground=body.ground,
                basis=body.basis,
            )
    return RevocationOut.of(row)


@router.post("/{revocation_id}/confirm", response_model=RevocationOut)
async def confirm_revocation(
    revocation_id: uuid.UUID, body: ConfirmIn, principal: Province, runtime: Runtime
) -> RevocationOut:
    async with runtime.uow(principal.actor) as uow:
        row = await revocations.confirm(
            uow, principal, revocation_id, basis=body.basis, today=runtime.clock.today()
        )
    return RevocationOut.of(row)


@router.post("/{revocation_id}/dismiss", response_model=RevocationOut)
async def dismiss_revocation(
    revocation_id: uuid.UUID, body: DismissIn, principal: Province, runtime: Runtime
) -> RevocationOut:
    async with runtime.uow(principal.actor) as uow:
        row = await revocations.dismiss(uow, principal, revocation_id, reason=body.reason)
    return RevocationOut.of(row)


async def _list(
    principal: Principal,
    runtime: Runtime,
    page: PageParams,
    *,
    status: str | None,
    year: int | None,
    uscc: str | None,
    ground: str | None,
) -> dict[str, Any]:
    stmt = select(RevocationRow)
    if principal.role is Role.AGENCY:
        stmt = stmt.where(RevocationRow.agency == principal.org)
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
    async with runtime.db.sessions() as session:
        rows = (await session.execute(stmt)).scalars().all()
    items, cursor = page_of(rows, page, lambda r: [r.created_at.isoformat(), str(r.id)])
    return {"items": [RevocationOut.of(r) for r in items], "next_cursor": cursor}


@router.get("", response_model=Page[RevocationOut])
async def list_revocations(
    principal: Staff,
    runtime: Runtime,
    page: PageQuery,
    status: RevocationStatusFilter | None = None,
    year: Annotated[int | None, Query(ge=2017, le=2100)] = None,
    uscc: Annotated[str | None, Query(pattern=USCC_PATTERN)] = None,
    ground: RevocationGround | None = None,
) -> dict[str, Any]:
    return await _list(principal, runtime, page, status=status, year=year, uscc=uscc, ground=ground)


@router.get("/{revocation_id}", response_model=RevocationOut)
async def get_revocation(
    revocation_id: uuid.UUID, principal: Staff, runtime: Runtime
) -> RevocationOut:
    async with runtime.db.sessions() as session:
        row = await repository.get_revocation(session, revocation_id)
    if row is None or (principal.role is Role.AGENCY and row.agency != principal.org):
        raise RevocationNotFound()
    return RevocationOut.of(row)


@proposals_router.get("", response_model=Page[RevocationOut])
async def list_proposals(
    principal: Staff,
    runtime: Runtime,
    page: PageQuery,
    year: Annotated[int | None, Query(ge=2017, le=2100)] = None,
    uscc: Annotated[str | None, Query(pattern=USCC_PATTERN)] = None,
    ground: RevocationGround | None = None,
) -> dict[str, Any]:
    """Open proposals (撤销建议) with their evidence, for the province to decide."""
    return await _list(
        principal,
        runtime,
        page,
        status=RevocationStatus.PROPOSED.value,
        year=year,
        uscc=uscc,
        ground=ground,
    )
