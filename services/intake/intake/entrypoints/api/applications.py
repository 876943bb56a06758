"""/api/v1/applications — the enterprise's applications (contract.md "intake")."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select

from intake.adapters import repository
from intake.adapters.tables import ApplicationRow
from intake.entrypoints.api.schemas import ApplicationOut
from intake.service_layer import applications
from shared.auth.jurisdiction import can_see
from shared.auth.principal import Principal, Role
from shared.evaluation.form import InformationForm
from shared.web.auth import CurrentPrincipal, require_roles
from shared.web.deps import Runtime
from shared.web.pagination import Page, PageQuery, keyset, page_of

router = APIRouter(prefix="/api/v1/applications", tags=["applications"])

Enterprise = Annotated[Principal, Depends(require_roles(Role.ENTERPRISE))]
Reader = Annotated[Principal, Depends(require_roles(Role.ENTERPRISE, Role.AGENCY, Role.PROVINCE))]


@router.post("", status_code=201, response_model=ApplicationOut)
async def create_application(
    form: InformationForm, principal: Enterprise, runtime: Runtime
) -> ApplicationOut:
    policy = await runtime.policies.get(form.year)
    async with runtime.uow(principal.actor) as uow:
        row = await applications.create_draft(uow, principal, form, policy, runtime.clock.now())
        timeline = await repository.timeline_of(uow.session, row.id)
    return ApplicationOut.of(row, timeline)


@router.post("/{application_id}/submit", response_model=ApplicationOut)
async def submit_application(
    application_id: uuid.UUID, principal: Enterprise, runtime: Runtime
) -> ApplicationOut:
    async with runtime.uow(principal.actor) as uow:
        row = await repository.get_application(uow.session, application_id)
        if row is None or row.uscc != principal.uscc:
            raise applications.ApplicationNotFound()
        policy = await runtime.policies.get(row.year)
        row = await applications.submit(uow, principal, application_id, policy, runtime.clock.now())
        timeline = await repository.timeline_of(uow.session, row.id)
    return ApplicationOut.of(row, timeline)


@router.get("/{application_id}", response_model=ApplicationOut)
async def get_application(
    application_id: uuid.UUID, principal: Reader, runtime: Runtime
) -> ApplicationOut:
    async with runtime.db.sessions() as session:
        row = await repository.get_application(session, application_id)
        if row is None or not can_see(principal, uscc=row.uscc, agency=row.agency):
            raise applications.ApplicationNotFound()
        timeline = await repository.timeline_of(session, row.id)
    return ApplicationOut.of(row, timeline)


@router.get("", response_model=Page[ApplicationOut])
async def list_applications(
    principal: CurrentPrincipal,
    runtime: Runtime,
    page: PageQuery,
    year: Annotated[int | None, Query(ge=2017, le=2100)] = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
) -> dict[str, Any]:
    stmt = select(ApplicationRow)
    if principal.role is Role.ENTERPRISE:
        stmt = stmt.where(ApplicationRow.uscc == principal.uscc)
    elif principal.role is Role.AGENCY:
        stmt = stmt.where(ApplicationRow.agency == principal.org)
    elif principal.role is not Role.PROVINCE:
        stmt = stmt.where(ApplicationRow.id.is_(None))
    if year is not None:
        stmt = stmt.where(ApplicationRow.year == year)
    if status is not None:
        stmt = stmt.where(ApplicationRow.status == status)
    stmt = keyset(
        stmt, [ApplicationRow.created_at, ApplicationRow.id], page, convert=[_parse_dt, uuid.UUID]
    )
    async with runtime.db.sessions() as session:
        rows = (await session.execute(stmt)).scalars().all()
    items, cursor = page_of(rows, page, lambda r: [r.created_at.isoformat(), str(r.id)])
    return {"items": [ApplicationOut.of(r) for r in items], "next_cursor": cursor}


def _parse_dt(value: Any) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(str(value))
