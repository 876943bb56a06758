"""/api/v1/review-cases — agencies see and decide their own cases, the province reads all."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import and_, not_, select

from review.adapters import repository
from review.adapters.tables import ReviewCaseRow
from review.domain.decision import Decision
from review.domain.errors import CaseNotFound
from review.domain.status import DECIDABLE, CaseStatus
from review.entrypoints.api.deps import Agency, Reviewer
from review.entrypoints.api.schemas import CaseOut, DecisionIn, OnsiteCheckIn
from review.service_layer import cases
from shared.auth.jurisdiction import can_see
from shared.auth.principal import Role
from shared.web.deps import Runtime
from shared.web.openapi import error_responses
from shared.web.pagination import Page, PageQuery, keyset, page_of

router = APIRouter(prefix="/api/v1/review-cases", tags=["review cases"])

StatusFilter = Annotated[CaseStatus | None, Query(description="case status")]


def _overdue_clause(today: date) -> Any:
    return and_(
        ReviewCaseRow.status.in_([s.value for s in DECIDABLE]), ReviewCaseRow.due_on < today
    )


@router.get("", response_model=Page[CaseOut])
async def list_cases(
    principal: Reviewer,
    runtime: Runtime,
    page: PageQuery,
    year: Annotated[int | None, Query(ge=2017, le=2100)] = None,
    status: StatusFilter = None,
    agency: Annotated[str | None, Query(max_length=20)] = None,
    overdue: Annotated[bool | None, Query(description="only (un)overdue cases")] = None,
) -> dict[str, Any]:
    today = runtime.clock.today()
    stmt = select(ReviewCaseRow)
    if principal.role is Role.AGENCY:
        stmt = stmt.where(ReviewCaseRow.agency == principal.org)
    elif agency is not None:
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
    async with runtime.db.sessions() as session:
        rows = (await session.execute(stmt)).scalars().all()
        items, cursor = page_of(rows, page, lambda r: [r.created_at.isoformat(), str(r.id)])
        warnings = await repository.warnings_of(session, [r.id for r in items])
    return {
        "items": [CaseOut.of(r, warnings[r.id], today) for r in items],
        "next_cursor": cursor,
    }


@router.get("/{case_id}", response_model=CaseOut)
async def get_case(case_id: uuid.UUID, principal: Reviewer, runtime: Runtime) -> CaseOut:
    async with runtime.db.sessions() as session:
        row = await repository.get_case(session, case_id)
        if row is None or not can_see(principal, uscc=None, agency=row.agency):
            raise CaseNotFound()
        warnings = await repository.warnings_of(session, [row.id])
        history = await repository.history_of(session, row.id)
    return CaseOut.of(row, warnings[row.id], runtime.clock.today(), history=history)


async def _reload(runtime: Runtime, case_id: uuid.UUID) -> CaseOut:
    async with runtime.db.sessions() as session:
        row = await repository.get_case(session, case_id)
        assert row is not None
        warnings = await repository.warnings_of(session, [row.id])
        history = await repository.history_of(session, row.id)
    return CaseOut.of(row, warnings[row.id], runtime.clock.today(), history=history)


@router.post("/{case_id}/decision", response_model=CaseOut, responses=error_responses(409))
async def decide(
    case_id: uuid.UUID, body: DecisionIn, principal: Agency, runtime: Runtime
) -> CaseOut:
    request = cases.DecisionRequest(Decision(body.decision), body.reason, body.notes)
    async with runtime.uow(principal.actor) as uow:
        await cases.decide_case(uow, principal, case_id, request, runtime.clock.now())
    return await _reload(runtime, case_id)


@router.post("/{case_id}/onsite-check", response_model=CaseOut, responses=error_responses(409))
async def record_onsite_check(
    case_id: uuid.UUID, body: OnsiteCheckIn, principal: Agency, runtime: Runtime
) -> CaseOut:
    async with runtime.uow(principal.actor) as uow:
        await cases.record_onsite_check(
            uow, principal, case_id, body.result, body.notes, runtime.clock.now()
        )
    return await _reload(runtime, case_id)
