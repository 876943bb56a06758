"""/api/v1/review-cases — agencies see their own cases, the province all."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import select

from review.adapters.tables import ReviewCaseRow
from shared.auth.principal import Principal, Role
from shared.web.auth import require_roles
from shared.web.deps import Runtime
from shared.web.pagination import Page, PageQuery, keyset, page_of

router = APIRouter(prefix="/api/v1/review-cases", tags=["review cases"])

Reviewer = Annotated[Principal, Depends(require_roles(Role.AGENCY, Role.PROVINCE))]


class CaseSummary(BaseModel):
    id: str
    application_id: str
    year: int
    uscc: str
    enterprise_name: str
    agency: str
    status: str
    score: dict[str, Any]
    warnings: list[dict[str, Any]] = []
    onsite: dict[str, Any] | None = None

    @classmethod
    def of(cls, row: ReviewCaseRow) -> CaseSummary:
        return cls(
            id=str(row.id),
            application_id=str(row.application_id),
            year=row.year,
            uscc=row.uscc,
            enterprise_name=row.enterprise_name,
            agency=row.agency,
            status=row.status,
            score=row.score,
        )


@router.get("", response_model=Page[CaseSummary])
async def list_cases(
    principal: Reviewer,
    runtime: Runtime,
    page: PageQuery,
    year: Annotated[int | None, Query(ge=2017, le=2100)] = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    agency: Annotated[str | None, Query(max_length=20)] = None,
) -> dict[str, Any]:
    stmt = select(ReviewCaseRow)
    if principal.role is Role.AGENCY:
        stmt = stmt.where(ReviewCaseRow.agency == principal.org)
    elif agency is not None:
        stmt = stmt.where(ReviewCaseRow.agency == agency)
    if year is not None:
        stmt = stmt.where(ReviewCaseRow.year == year)
    if status is not None:
        stmt = stmt.where(ReviewCaseRow.status == status)
    stmt = keyset(
        stmt,
        [ReviewCaseRow.created_at, ReviewCaseRow.id],
        page,
        convert=[datetime.fromisoformat, uuid.UUID],
    )
    async with runtime.db.sessions() as session:
        rows = (await session.execute(stmt)).scalars().all()
    items, cursor = page_of(rows, page, lambda r: [r.created_at.isoformat(), str(r.id)])
    return {"items": [CaseSummary.of(r) for r in items], "next_cursor": cursor}
