"""/api/v1/spot-checks — the year-end spot check (集中抽查): the province draws, the
agencies record the results of their registrations."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession

from review import views
from review.adapters.unit_of_work import SqlReviewUnitOfWork
from review.entrypoints.api.deps import Agency, Province, Reviewer
from review.entrypoints.api.schemas import (
    SpotCheckIn,
    SpotCheckItemOut,
    SpotCheckOut,
    SpotCheckResultIn,
)
from review.service_layer import spot_checks
from shared.platform.auth.principal import Principal
from shared.platform.web.deps import Runtime
from shared.platform.web.openapi import error_responses
from shared.platform.web.pagination import Page, PageQuery

router = APIRouter(prefix="/api/v1/spot-checks", tags=["spot checks"])


async def _load(
    session: AsyncSession, spot_check_id: uuid.UUID, principal: Principal
) -> SpotCheckOut:
    return SpotCheckOut.of(*await views.spot_check(session, spot_check_id, principal))


@router.post("", status_code=201, response_model=SpotCheckOut, responses=error_responses(404, 409))
async def draw_sample(body: SpotCheckIn, principal: Province, runtime: Runtime) -> SpotCheckOut:
    policy = await runtime.policies.get(body.year)
    async with runtime.uow(principal.actor) as uow:
        check = await spot_checks.draw(
            SqlReviewUnitOfWork(uow),
            principal,
            year=body.year,
            ratio=body.ratio,
            seed=body.seed,
            policy=policy,
            now=runtime.clock.now(),
        )
    async with runtime.db.sessions() as session:
        return await _load(session, check.id, principal)


@router.get("", response_model=Page[SpotCheckOut])
async def list_spot_checks(
    principal: Reviewer, runtime: Runtime, page: PageQuery
) -> dict[str, Any]:
    async with runtime.db.sessions() as session:
        items, cursor = await views.spot_checks(session, page)
    # The list shows the draws; the sample of one is GET /spot-checks/{id}.
    return {"items": [SpotCheckOut.of(r, []) for r in items], "next_cursor": cursor}


@router.get("/{spot_check_id}", response_model=SpotCheckOut)
async def get_spot_check(
    spot_check_id: uuid.UUID, principal: Reviewer, runtime: Runtime
) -> SpotCheckOut:
    async with runtime.db.sessions() as session:
        return await _load(session, spot_check_id, principal)


@router.post(
    "/{spot_check_id}/results", response_model=SpotCheckItemOut, responses=error_responses(409)
)
async def record_result(
    spot_check_id: uuid.UUID, body: SpotCheckResultIn, principal: Agency, runtime: Runtime
) -> SpotCheckItemOut:
    async with runtime.uow(principal.actor) as uow:
        item = await spot_checks.record_result(
            SqlReviewUnitOfWork(uow),
            principal,
            spot_check_id,
            number=body.registration_number,
            result=body.result,
            notes=body.notes,
            now=runtime.clock.now(),
        )
        return SpotCheckItemOut.of(item)
