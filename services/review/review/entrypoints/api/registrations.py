"""/api/v1/registrations — the registry (入库登记): lists for agencies and the province, and
verification of a number for the tax agency (external systems)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from sqlalchemy import select

from review.adapters.tables import RegistrationRow
from review.domain.registration import verified_status
from review.entrypoints.api.deps import Reviewer, Verifier
from review.entrypoints.api.schemas import RegistrationOut, VerificationOut
from shared.auth.principal import Role
from shared.evaluation.form import USCC_PATTERN
from shared.web.deps import Runtime
from shared.web.pagination import Page, PageQuery, keyset, page_of

router = APIRouter(prefix="/api/v1/registrations", tags=["registry"])

YearQuery = Annotated[int, Query(ge=2017, le=2100)]


@router.get("", response_model=Page[RegistrationOut])
async def list_registrations(
    principal: Reviewer,
    runtime: Runtime,
    page: PageQuery,
    year: Annotated[int | None, Query(ge=2017, le=2100)] = None,
    region: Annotated[
        str | None, Query(pattern=r"^\d{2,6}$", description="region code or its prefix")
    ] = None,
    status: Annotated[Literal["valid", "revoked"] | None, Query()] = None,
) -> dict[str, Any]:
    stmt = select(RegistrationRow)
    if principal.role is Role.AGENCY:
        stmt = stmt.where(RegistrationRow.agency == principal.org)
    if year is not None:
        stmt = stmt.where(RegistrationRow.year == year)
    if region is not None:
        stmt = stmt.where(RegistrationRow.region_code.startswith(region, autoescape=True))
    if status is not None:
        stmt = stmt.where(RegistrationRow.status == status)
    stmt = keyset(
        stmt,
        [RegistrationRow.created_at, RegistrationRow.number],
        page,
        convert=[datetime.fromisoformat, str],
    )
    async with runtime.db.sessions() as session:
        rows = (await session.execute(stmt)).scalars().all()
    items, cursor = page_of(rows, page, lambda r: [r.created_at.isoformat(), r.number])
    today = runtime.clock.today()
    return {"items": [RegistrationOut.of(r, today) for r in items], "next_cursor": cursor}


@router.get("/verify", response_model=VerificationOut)
async def verify(
    principal: Verifier,
    runtime: Runtime,
    uscc: Annotated[str, Query(pattern=USCC_PATTERN)],
    year: YearQuery,
) -> VerificationOut:
    """查验企业该年度是否入库、编号今天是否有效。
    Is the enterprise registered for the year, and is the number valid today?"""
    async with runtime.db.sessions() as session:
        row = (
            await session.execute(
                select(RegistrationRow).where(
                    RegistrationRow.uscc == uscc, RegistrationRow.year == year
                )
            )
        ).scalar_one_or_none()
    if row is None:
        return VerificationOut(registered=False, uscc=uscc, year=year)
    status = verified_status(row.status, row.valid_until, runtime.clock.today())
    return VerificationOut(
        registered=True,
        number=row.number,
        status=status.value,
        valid_until=row.valid_until,
        revoked_on=row.revoked_on,
        uscc=uscc,
        year=year,
    )
