"""/api/v1/applications — the enterprise's applications (contract.md "intake")."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from intake import views
from intake.adapters import repository
from intake.adapters.unit_of_work import SqlIntakeUnitOfWork
from intake.domain.status import ApplicationStatus
from intake.entrypoints.api.deps import Enterprise, Reader, policy_for_form
from intake.entrypoints.api.schemas import ApplicationOut, WithdrawRequest
from intake.service_layer import applications
from shared.kernel.evaluation.form import InformationForm
from shared.platform.web.deps import Runtime
from shared.platform.web.openapi import error_responses
from shared.platform.web.pagination import Page, PageQuery
from shared.platform.web.params import OptionalYearQuery

router = APIRouter(prefix="/api/v1/applications", tags=["applications"])


@router.post(
    "", status_code=201, response_model=ApplicationOut, responses=error_responses(404, 409)
)
async def create_application(
    form: InformationForm, principal: Enterprise, runtime: Runtime
) -> ApplicationOut:
    """以信息表创建草稿，同时返回自评结果。
    Create a draft from a form; its self-evaluation comes with it."""
    policy = await policy_for_form(runtime, form.year)
    async with runtime.uow(principal.actor) as uow:
        row = await applications.create_draft(
            SqlIntakeUnitOfWork(uow), principal, form, policy, runtime.clock.now()
        )
        timeline = await repository.timeline_of(uow.session, row.id)
    return ApplicationOut.of(row, timeline)


@router.put("/{application_id}", response_model=ApplicationOut, responses=error_responses(409))
async def replace_form(
    application_id: uuid.UUID, form: InformationForm, principal: Enterprise, runtime: Runtime
) -> ApplicationOut:
    """替换草稿或退回申请的信息表（重新自评）。
    Replace the form of a `draft` or `returned` application (self-evaluation recomputed)."""
    policy = await policy_for_form(runtime, form.year)
    async with runtime.uow(principal.actor) as uow:
        row = await applications.replace_form(
            SqlIntakeUnitOfWork(uow), principal, application_id, form, policy, runtime.clock.now()
        )
        timeline = await repository.timeline_of(uow.session, row.id)
    return ApplicationOut.of(row, timeline)


@router.post(
    "/{application_id}/submit", response_model=ApplicationOut, responses=error_responses(409)
)
async def submit_application(
    application_id: uuid.UUID, principal: Enterprise, runtime: Runtime
) -> ApplicationOut:
    """提交申请；不符合条件时 422 列出未满足的条件，不在填报期内 409。
    → `submitted`; 422 listing the failed conditions if ineligible; 409 outside the window."""
    async with runtime.uow(principal.actor) as uow:
        row = await applications.submit(
            SqlIntakeUnitOfWork(uow),
            principal,
            application_id,
            runtime.policies,
            runtime.clock.now(),
        )
        timeline = await repository.timeline_of(uow.session, row.id)
    return ApplicationOut.of(row, timeline)


@router.post(
    "/{application_id}/withdraw", response_model=ApplicationOut, responses=error_responses(409)
)
async def withdraw_application(
    application_id: uuid.UUID,
    principal: Enterprise,
    runtime: Runtime,
    body: Annotated[WithdrawRequest | None, Body()] = None,
) -> ApplicationOut:
    """在作出决定前撤回申请。
    Before a decision → `withdrawn` (review closes the case of a submitted application)."""
    reason = body.reason if body is not None else None
    async with runtime.uow(principal.actor) as uow:
        row = await applications.withdraw(
            SqlIntakeUnitOfWork(uow), principal, application_id, reason, runtime.clock.now()
        )
        timeline = await repository.timeline_of(uow.session, row.id)
    return ApplicationOut.of(row, timeline)


@router.get("/{application_id}", response_model=ApplicationOut)
async def get_application(
    application_id: uuid.UUID, principal: Reader, runtime: Runtime
) -> ApplicationOut:
    """申请详情：信息表、自评、状态和时间线。
    Form, self-evaluation, status and timeline: the owner, its agency, the province."""
    async with runtime.db.sessions() as session:
        row, timeline = await views.application(session, principal, application_id)
    return ApplicationOut.of(row, timeline)


@router.get("", response_model=Page[ApplicationOut])
async def list_applications(
    principal: Reader,
    runtime: Runtime,
    page: PageQuery,
    year: OptionalYearQuery = None,
    status: Annotated[ApplicationStatus | None, Query()] = None,
) -> dict[str, Any]:
    """申请列表：企业看自己的，机构看辖区的，省级看全部。
    Scoped in SQL: an enterprise its own, an agency its jurisdiction, the province all."""
    async with runtime.db.sessions() as session:
        items, cursor, timelines = await views.applications(
            session, principal, page, year=year, status=status
        )
    return {
        "items": [ApplicationOut.of(r, timelines.get(r.id, [])) for r in items],
        "next_cursor": cursor,
    }
