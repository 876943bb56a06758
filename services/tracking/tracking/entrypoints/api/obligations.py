"""/api/v1/obligations — quarterly reporting obligations (contract.md "tracking")."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from shared.web.deps import Runtime
from shared.web.pagination import Page, PageQuery, keyset, page_of
from tracking.adapters.scope import scope_condition
from tracking.adapters.tables import ObligationRow
from tracking.domain.obligation_state import ObligationState
from tracking.entrypoints.api import cursors
from tracking.entrypoints.api.roles import OptionalQuarter, OptionalYear, Reader, USCCQuery
from tracking.entrypoints.api.schemas import ObligationOut

router = APIRouter(prefix="/api/v1/obligations", tags=["obligations"])


@router.get("", response_model=Page[ObligationOut])
async def list_obligations(
    principal: Reader,
    runtime: Runtime,
    page: PageQuery,
    year: OptionalYear = None,
    quarter: OptionalQuarter = None,
    state: Annotated[ObligationState | None, Query()] = None,
    uscc: USCCQuery = None,
) -> dict[str, Any]:
    """季度报送义务列表：企业看自己的，机构看辖区的，省级看全部。
    An enterprise sees its own obligations, an agency its jurisdiction's, the province
    all; newest due date first."""
    stmt = select(ObligationRow).where(
        scope_condition(principal, ObligationRow.uscc, ObligationRow.agency)
    )
    if year is not None:
        stmt = stmt.where(ObligationRow.year == year)
    if quarter is not None:
        stmt = stmt.where(ObligationRow.quarter == quarter)
    if state is not None:
        stmt = stmt.where(ObligationRow.state == state.value)
    if uscc is not None:
        stmt = stmt.where(ObligationRow.uscc == uscc)
    stmt = keyset(
        stmt,
        [ObligationRow.due_on, ObligationRow.id],
        page,
        convert=[date.fromisoformat, cursors.bigint],
    )
    async with runtime.db.sessions() as session:
        rows = (await session.execute(stmt)).scalars().all()
    items, cursor = page_of(rows, page, lambda r: [r.due_on.isoformat(), r.id])
    return {"items": [ObligationOut.of(r) for r in items], "next_cursor": cursor}
