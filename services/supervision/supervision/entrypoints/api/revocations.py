"""/api/v1/revocations — revocation of registration numbers (撤销登记编号) with notice and
statement (告知—陈述申辩, contract § Round 2).

The province opens the procedure (`POST /revocations` → `notified`, or takes up a proposal
with `/confirm`); an agency's `POST /revocations` is a proposal for the province
(`proposed`), for an enterprise of its jurisdiction. Proposals also come from joint
punishment and failed spot checks; `GET /revocation-proposals` lists the open ones. The
enterprise reads its own and states its case once; the province decides after the
statement or the due date.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter

from shared.kernel.events.payloads.supervision import RevocationGround
from shared.platform.auth.principal import Principal, Role
from shared.platform.runtime import ServiceRuntime
from shared.platform.web.deps import Runtime
from shared.platform.web.openapi import error_responses
from shared.platform.web.pagination import Page, PageParams, PageQuery
from shared.platform.web.params import (
    Enterprise,
    OptionalUsccQuery,
    OptionalYearQuery,
    Province,
    Staff,
)
from shared.platform.web.params import Reader as Readers
from supervision import views
from supervision.adapters.unit_of_work import SqlSupervisionUnitOfWork
from supervision.domain.revocation import RevocationStatus
from supervision.entrypoints.api.schemas import (
    ConfirmIn,
    DismissIn,
    RevocationDecisionIn,
    RevocationIn,
    RevocationOut,
    RevocationStatusFilter,
    StatementIn,
)
from supervision.service_layer import revocations
from supervision.service_layer.policy_lookup import policy_for

router = APIRouter(prefix="/api/v1/revocations", tags=["revocations"])
proposals_router = APIRouter(prefix="/api/v1/revocation-proposals", tags=["revocations"])


async def _notice(runtime: ServiceRuntime, year: int) -> revocations.Notice:
    policy = await policy_for(runtime.policies, year)
    return revocations.Notice(
        today=runtime.clock.today(),
        statement_working_days=policy.supervision.statement_working_days,
        calendar=await runtime.policies.calendar(),
    )


@router.post(
    "",
    status_code=201,
    response_model=RevocationOut,
    operation_id="revocations_create",
    summary="启动撤销程序或提出撤销建议 / Open a revocation procedure or propose one",
    description=(
        "省厅：告知企业撤销事由与依据（状态 notified，陈述申辩期10个工作日）；信用名单、重大事故可"
        "不经陈述申辩（skip_statement）。评价机构：提出撤销建议（proposed）。"
        " / Province: notifies the enterprise of the ground and basis (`notified`, a statement"
        " period of 10 working days); `skip_statement` only for credit_listing and"
        " major_incident. Agency: a proposal (`proposed`) the province takes up."
    ),
    responses=error_responses(404, 409),
)
async def create_revocation(
    body: RevocationIn, principal: Staff, runtime: Runtime
) -> RevocationOut:
    """撤销入库登记：省级启动告知—陈述申辩程序，评价机构提出建议。
    Province: open the procedure (notice and statement, `notified`, emits
    `revocation.notified`). Agency: propose, for the province to take up."""
    async with runtime.uow(principal.actor) as uow:
        if principal.role is Role.PROVINCE:
            year = await views.registration_year(uow.session, body.registration_number)
            row = await revocations.start(
                SqlSupervisionUnitOfWork(uow),
                principal,
                number=body.registration_number,
                ground=body.ground,
                basis=body.basis,
                skip_statement=body.skip_statement,
                notice=await _notice(runtime, year or runtime.clock.today().year),
            )
        else:
            row = await revocations.propose(
                SqlSupervisionUnitOfWork(uow),
                principal,
                number=body.registration_number,
                ground=body.ground,
                basis=body.basis,
            )
    return RevocationOut.of(row)


@router.post(
    "/{revocation_id}/confirm",
    response_model=RevocationOut,
    operation_id="revocations_confirm",
    summary="受理撤销建议并告知企业 / Take up a proposal and notify the enterprise",
    description=(
        "省厅受理撤销建议：告知企业（notified），或对信用名单、重大事故不经陈述申辩直接撤销。"
        " / The province takes up a proposal: the enterprise is notified (`notified`), or —"
        " for credit_listing and major_incident with `skip_statement` — revoked at once."
    ),
    responses=error_responses(409),
)
async def confirm_revocation(
    revocation_id: uuid.UUID, body: ConfirmIn, principal: Province, runtime: Runtime
) -> RevocationOut:
    async with runtime.uow(principal.actor) as uow:
        year = await views.revocation_year(uow.session, revocation_id)
        row = await revocations.take_up(
            SqlSupervisionUnitOfWork(uow),
            principal,
            revocation_id,
            basis=body.basis,
            skip_statement=body.skip_statement,
            notice=await _notice(runtime, year),
        )
    return RevocationOut.of(row)


@router.post(
    "/{revocation_id}/statement",
    response_model=RevocationOut,
    operation_id="revocations_state",
    summary="企业陈述申辩 / The enterprise states its case",
    description=(
        "被告知的企业在截止日（含）前提交一次陈述申辩。"
        " / The notified enterprise states its case once, until `statement_due_on`"
        " (inclusive); 409 afterwards or a second time."
    ),
    responses=error_responses(409),
)
async def state_case(
    revocation_id: uuid.UUID, body: StatementIn, principal: Enterprise, runtime: Runtime
) -> RevocationOut:
    async with runtime.uow(principal.actor) as uow:
        row = await revocations.state(
            SqlSupervisionUnitOfWork(uow),
            principal,
            revocation_id,
            text=body.text,
            today=runtime.clock.today(),
            now=runtime.clock.now(),
        )
    return RevocationOut.of(row)


@router.post(
    "/{revocation_id}/decision",
    response_model=RevocationOut,
    operation_id="revocations_decide",
    summary="省厅作出撤销决定 / The province decides",
    description=(
        "陈述申辩后或期限届满后，省厅决定撤销（revoked，发出 cn.sme.revocation.decided.v1）"
        "或不予撤销（dismissed）；此前返回409。"
        " / After the statement or after its due date the province"
        " revokes (`revoked`, emits `cn.sme.revocation.decided.v1`) or dismisses; 409 before."
    ),
    responses=error_responses(409),
)
async def decide_revocation(
    revocation_id: uuid.UUID, body: RevocationDecisionIn, principal: Province, runtime: Runtime
) -> RevocationOut:
    async with runtime.uow(principal.actor) as uow:
        row = await revocations.decide(
            SqlSupervisionUnitOfWork(uow),
            principal,
            revocation_id,
            decision=body.decision,
            reason=body.reason,
            today=runtime.clock.today(),
        )
    return RevocationOut.of(row)


@router.post(
    "/{revocation_id}/dismiss", response_model=RevocationOut, responses=error_responses(409)
)
async def dismiss_revocation(
    revocation_id: uuid.UUID, body: DismissIn, principal: Province, runtime: Runtime
) -> RevocationOut:
    async with runtime.uow(principal.actor) as uow:
        row = await revocations.dismiss(
            SqlSupervisionUnitOfWork(uow), principal, revocation_id, reason=body.reason
        )
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
    async with runtime.db.sessions() as session:
        items, cursor = await views.revocations(
            session, principal, page, status=status, year=year, uscc=uscc, ground=ground
        )
    return {"items": [RevocationOut.of(r) for r in items], "next_cursor": cursor}


@router.get("", response_model=Page[RevocationOut])
async def list_revocations(
    principal: Readers,
    runtime: Runtime,
    page: PageQuery,
    status: RevocationStatusFilter | None = None,
    year: OptionalYearQuery = None,
    uscc: OptionalUsccQuery = None,
    ground: RevocationGround | None = None,
) -> dict[str, Any]:
    return await _list(principal, runtime, page, status=status, year=year, uscc=uscc, ground=ground)


@router.get("/{revocation_id}", response_model=RevocationOut)
async def get_revocation(
    revocation_id: uuid.UUID, principal: Readers, runtime: Runtime
) -> RevocationOut:
    async with runtime.db.sessions() as session:
        row = await views.revocation(session, principal, revocation_id)
    return RevocationOut.of(row)


@proposals_router.get("", response_model=Page[RevocationOut])
async def list_proposals(
    principal: Staff,
    runtime: Runtime,
    page: PageQuery,
    year: OptionalYearQuery = None,
    uscc: OptionalUsccQuery = None,
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
