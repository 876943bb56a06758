"""/api/v1/review-cases — agencies see and decide their own cases, the province reads all."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query

from review import views
from review.adapters.unit_of_work import SqlReviewUnitOfWork
from review.domain.decision import Decision
from review.domain.status import CaseStatus
from review.entrypoints.api.deps import Agency, Reviewer
from review.entrypoints.api.schemas import CaseOut, DecisionIn, OnsiteCheckIn
from review.service_layer import cases
from shared.platform.web.deps import Runtime
from shared.platform.web.openapi import error_responses
from shared.platform.web.pagination import Page, PageQuery
from shared.platform.web.params import OptionalYearQuery

router = APIRouter(prefix="/api/v1/review-cases", tags=["review cases"])

StatusFilter = Annotated[CaseStatus | None, Query(description="case status")]


@router.get("", response_model=Page[CaseOut])
async def list_cases(
    principal: Reviewer,
    runtime: Runtime,
    page: PageQuery,
    year: OptionalYearQuery = None,
    status: StatusFilter = None,
    agency: Annotated[str | None, Query(max_length=20)] = None,
    overdue: Annotated[bool | None, Query(description="only (un)overdue cases")] = None,
) -> dict[str, Any]:
    today = runtime.clock.today()
    async with runtime.db.sessions() as session:
        items, cursor = await views.cases(
            session,
            principal,
            page,
            today=today,
            year=year,
            status=status,
            agency=agency,
            overdue=overdue,
        )
    return {
        "items": [CaseOut.of(c.row, c.warnings, today) for c in items],
        "next_cursor": cursor,
    }


@router.get("/{case_id}", response_model=CaseOut)
async def get_case(case_id: uuid.UUID, principal: Reviewer, runtime: Runtime) -> CaseOut:
    async with runtime.db.sessions() as session:
        case = await views.case(session, case_id, principal)
    return CaseOut.of(case.row, case.warnings, runtime.clock.today(), history=case.history)


async def _reload(runtime: Runtime, case_id: uuid.UUID) -> CaseOut:
    async with runtime.db.sessions() as session:
        case = await views.case(session, case_id)
    return CaseOut.of(case.row, case.warnings, runtime.clock.today(), history=case.history)


@router.post("/{case_id}/decision", response_model=CaseOut, responses=error_responses(409))
async def decide(
    case_id: uuid.UUID, body: DecisionIn, principal: Agency, runtime: Runtime
) -> CaseOut:
    request = cases.DecisionRequest(Decision(body.decision), body.reason, body.notes)
    async with runtime.uow(principal.actor) as uow:
        await cases.decide_case(
            SqlReviewUnitOfWork(uow), principal, case_id, request, runtime.clock.now()
        )
    return await _reload(runtime, case_id)


@router.post("/{case_id}/onsite-check", response_model=CaseOut, responses=error_responses(409))
async def record_onsite_check(
    case_id: uuid.UUID, body: OnsiteCheckIn, principal: Agency, runtime: Runtime
) -> CaseOut:
    async with runtime.uow(principal.actor) as uow:
        await cases.record_onsite_check(
            SqlReviewUnitOfWork(uow),
            principal,
            case_id,
            body.result,
            body.notes,
            runtime.clock.now(),
        )
    return await _reload(runtime, case_id)
