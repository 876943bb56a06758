"""/api/v1/publicity-batches — publicity (公示) batches, their Excel list, the announcement."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from review import views
from review.adapters import export
from review.adapters.unit_of_work import SqlReviewUnitOfWork
from review.entrypoints.api.deps import Province, Reviewer
from review.entrypoints.api.schemas import BatchEntryOut, BatchIn, BatchOut, BatchSummaryOut
from review.service_layer import publicity
from shared.platform.auth.principal import Principal
from shared.platform.web.deps import Runtime
from shared.platform.web.openapi import binary_response, error_responses
from shared.platform.web.pagination import Page, PageQuery

router = APIRouter(prefix="/api/v1/publicity-batches", tags=["publicity"])


async def _entries(
    session: AsyncSession, batch_id: uuid.UUID, principal: Principal
) -> list[BatchEntryOut]:
    """The batch's cases; an agency sees the entries of its own jurisdiction."""
    return [
        BatchEntryOut(
            case_id=str(r.id),
            application_id=str(r.application_id),
            uscc=r.uscc,
            enterprise_name=r.enterprise_name,
            region_code=r.region_code,
            agency=r.agency,
            state=r.status,
            registration_number=r.registration_number,
        )
        for r in await views.batch_entries(session, batch_id, principal)
    ]


async def _batch(runtime: Runtime, batch_id: uuid.UUID, principal: Principal) -> BatchOut:
    async with runtime.db.sessions() as session:
        row = await views.batch(session, batch_id)
        return BatchOut.of(row, await _entries(session, batch_id, principal))


@router.post("", status_code=201, response_model=BatchOut, responses=error_responses(404, 409))
async def create_batch(body: BatchIn, principal: Province, runtime: Runtime) -> BatchOut:
    policy = await runtime.policies.get(body.year)
    calendar = await runtime.policies.calendar()
    async with runtime.uow(principal.actor) as uow:
        batch = await publicity.start_publicity(
            SqlReviewUnitOfWork(uow),
            principal,
            year=body.year,
            case_ids=body.case_ids,
            starts_on=body.starts_on,
            policy=policy,
            calendar=calendar,
            today=runtime.clock.today(),
            now=runtime.clock.now(),
        )
    return await _batch(runtime, batch.id, principal)


@router.get("", response_model=Page[BatchSummaryOut])
async def list_batches(principal: Reviewer, runtime: Runtime, page: PageQuery) -> dict[str, Any]:
    async with runtime.db.sessions() as session:
        items, cursor = await views.batches(session, page)
    return {
        "items": [
            BatchSummaryOut(
                id=str(r.id),
                year=r.year,
                starts_on=r.starts_on,
                ends_on=r.ends_on,
                ends_on_provisional=r.ends_on_provisional,
                status=r.status,
                announced_on=r.announced_on,
            )
            for r in items
        ],
        "next_cursor": cursor,
    }


@router.get("/{batch_id}", response_model=BatchOut)
async def get_batch(batch_id: uuid.UUID, principal: Reviewer, runtime: Runtime) -> BatchOut:
    return await _batch(runtime, batch_id, principal)


@router.get(
    "/{batch_id}/export.xlsx",
    response_class=StreamingResponse,
    responses=binary_response(
        export.XLSX, "公示名单 Excel 工作簿", "The publicity list as an Excel workbook"
    ),
)
async def export_batch(
    batch_id: uuid.UUID, principal: Reviewer, runtime: Runtime
) -> StreamingResponse:
    batch = await _batch(runtime, batch_id, principal)
    # openpyxl writes synchronously; a worker thread keeps the event loop free.
    title = f"{batch.year}年度科技型中小企业公示名单（{batch.starts_on}至{batch.ends_on}）"
    rows = [
        export.ExportRow(
            e.enterprise_name, e.uscc, e.region_code, e.agency, e.state, e.registration_number
        )
        for e in batch.entries
    ]
    spool = await run_in_threadpool(export.batch_workbook, title, rows)

    async def chunks() -> AsyncIterator[bytes]:
        try:
            while chunk := await run_in_threadpool(spool.read, 64 * 1024):
                yield chunk
        finally:
            spool.close()

    filename = f"publicity-{batch.year}-{batch.starts_on}.xlsx"
    return StreamingResponse(
        chunks(),
        media_type=export.XLSX,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
        },
    )


@router.post("/{batch_id}/announce", response_model=BatchOut, responses=error_responses(409))
async def announce_batch(batch_id: uuid.UUID, principal: Province, runtime: Runtime) -> BatchOut:
    async with runtime.db.sessions() as session:
        year = (await views.batch(session, batch_id)).year
    policy = await runtime.policies.get(year)
    async with runtime.uow(principal.actor) as uow:
        _, registered, held = await publicity.announce(
            SqlReviewUnitOfWork(uow),
            principal,
            batch_id,
            policy=policy,
            today=runtime.clock.today(),
            now=runtime.clock.now(),
        )
    batch = await _batch(runtime, batch_id, principal)
    return batch.model_copy(update={"registered": registered, "held": held})
