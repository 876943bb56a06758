"""/api/v1/cases — filing (public) and handling (agency of jurisdiction, province)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response

from shared.platform.db.audit import Actor
from shared.platform.web.auth import OptionalPrincipal
from shared.platform.web.deps import Runtime
from shared.platform.web.openapi import error_responses
from shared.platform.web.pagination import Page, PageQuery
from shared.platform.web.params import OptionalUsccQuery, Staff
from supervision import views
from supervision.adapters.unit_of_work import SqlSupervisionUnitOfWork
from supervision.config import supervision_settings
from supervision.domain.cases import CaseKind, Finding
from supervision.domain.identity import ANONYMOUS, Evidence, Filer
from supervision.entrypoints.api.client import FilingClient
from supervision.entrypoints.api.schemas import (
    AcceptIn,
    CaseDetailOut,
    CaseIn,
    CaseOut,
    CasePublicOut,
    CaseStatusFilter,
    ConcludeIn,
)
from supervision.service_layer import filing, handling
from supervision.service_layer.rate_limit import count_accepted

router = APIRouter(prefix="/api/v1/cases", tags=["cases"])

PUBLIC = Actor(sub="public", role="public")
# Query text PostgreSQL can compare: no NUL character (U+0000 cannot be stored or sent).
_NO_NUL = r"^[^\x00]+$"
# An organisation code of the tree: `150100`, `htz-baotou`.
_ORG_CODE = r"^[0-9A-Za-z][0-9A-Za-z_-]{0,19}$"


@router.post(
    "",
    status_code=201,
    response_model=CasePublicOut,
    responses={
        200: {
            "model": CasePublicOut,
            "description": "一日内相同的举报：返回已有案件 / The same filing within a day: the "
            "existing case",
        }
    },
)
async def file_case(
    body: CaseIn,
    client: FilingClient,
    principal: OptionalPrincipal,
    runtime: Runtime,
    response: Response,
) -> CasePublicOut:
    """File an objection (异议), complaint (投诉) or report (举报). Public: no token needed.

    The answer never contains the filer's identity. Filing the same text about the same
    enterprise again within a day returns the case already filed (200)."""
    command = filing.FileCase(
        kind=body.kind,
        subject_uscc=body.subject_uscc,
        batch_id=body.batch_id,
        grounds=body.grounds,
        facts=body.facts,
        evidence=tuple(Evidence(e.kind, e.description, e.reference) for e in body.evidence),
        filer=(
            Filer(body.filer.type, body.filer.name, body.filer.phone, body.filer.organisation)
            if body.filer
            else None
        ),
    )
    settings = supervision_settings(runtime.settings)
    # A signed-in filer is attributed by its token; the public as "public".
    actor = principal.actor if principal is not None else PUBLIC
    async with runtime.uow(actor) as uow:
        filed = await filing.file_case(
            SqlSupervisionUnitOfWork(uow),
            command,
            client_key=client,
            now=runtime.clock.now(),
            policies=runtime.policies,
            duplicate_window=timedelta(hours=settings.duplicate_window_hours),
        )
        if filed.created:  # only accepted filings count against the client's quota
            await count_accepted(
                uow.session, client, runtime.clock.now(), settings.filing_rate_window_seconds
            )
    if not filed.created:
        response.status_code = 200
    return CasePublicOut.of(filed.case)


@router.get("", response_model=Page[CaseOut])
async def list_cases(
    principal: Staff,
    runtime: Runtime,
    page: PageQuery,
    kind: CaseKind | None = None,
    status: CaseStatusFilter | None = None,
    overdue: Annotated[bool | None, Query(description="only cases past their deadline")] = None,
    subject_uscc: OptionalUsccQuery = None,
    batch_id: Annotated[str | None, Query(min_length=1, max_length=64, pattern=_NO_NUL)] = None,
    agency: Annotated[str | None, Query(pattern=_ORG_CODE)] = None,
) -> dict[str, Any]:
    today = runtime.clock.today()
    async with runtime.db.sessions() as session:
        items, cursor = await views.cases(
            session,
            principal,
            page,
            today=today,
            kind=kind.value if kind is not None else None,
            status=status,
            overdue=overdue,
            subject_uscc=subject_uscc,
            batch_id=batch_id,
            agency=agency,
        )
    return {"items": [CaseOut.of_staff(r, today) for r in items], "next_cursor": cursor}


@router.get("/{case_id}", response_model=CaseDetailOut)
async def get_case(case_id: uuid.UUID, principal: Staff, runtime: Runtime) -> CaseDetailOut:
    """案件详情（含提出人身份），仅限办理人员，读取留痕。
    One case with the filer's identity: for the staff handling it only (and audited)."""
    async with runtime.uow(principal.actor) as uow:
        row, steps = await views.case_detail(uow.session, principal, case_id)
        if row.filer_type != ANONYMOUS:
            # Access to a filer's personal data is itself recorded.
            await uow.audit.record("case.view_filer", "supervision_case", str(row.id))
    return CaseDetailOut.of_detail(row, steps, runtime.clock.today())


@router.post("/{case_id}/accept", response_model=CaseOut, responses=error_responses(409))
async def accept_case(
    case_id: uuid.UUID,
    principal: Staff,
    runtime: Runtime,
    body: Annotated[AcceptIn | None, Body()] = None,
) -> CaseOut:
    """受理 (no body, or `{"accepted": true}`) or 不予受理 (`{"accepted": false, "reason"}`)."""
    body = body or AcceptIn()
    async with runtime.uow(principal.actor) as uow:
        row = await handling.decide_acceptance(
            SqlSupervisionUnitOfWork(uow),
            principal,
            case_id,
            accepted=body.accepted,
            reason=body.reason,
            now=runtime.clock.now(),
            policies=runtime.policies,
        )
    return CaseOut.of_staff(row, runtime.clock.today())


@router.post("/{case_id}/conclude", response_model=CaseOut, responses=error_responses(409))
async def conclude_case(
    case_id: uuid.UUID, body: ConcludeIn, principal: Staff, runtime: Runtime
) -> CaseOut:
    """办结 with the finding (`substantiated` | `unsubstantiated`) and the measures."""
    async with runtime.uow(principal.actor) as uow:
        row = await handling.conclude(
            SqlSupervisionUnitOfWork(uow),
            principal,
            case_id,
            finding=Finding(body.finding),
            measures=body.measures,
            now=runtime.clock.now(),
        )
    return CaseOut.of_staff(row, runtime.clock.today())
