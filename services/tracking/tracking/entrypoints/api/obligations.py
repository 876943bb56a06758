"""/api/v1/obligations — quarterly reporting obligations (contract.md "tracking")."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from shared.platform.web.deps import Runtime
from shared.platform.web.pagination import Page, PageQuery
from tracking import views
from tracking.domain.obligation_state import ObligationState
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
    async with runtime.db.sessions() as session:
        items, cursor = await views.obligations(
            session,
            principal,
            page,
            year=year,
            quarter=quarter,
            state=state.value if state is not None else None,
            uscc=uscc,
        )
    return {"items": [ObligationOut.of(r) for r in items], "next_cursor": cursor}
