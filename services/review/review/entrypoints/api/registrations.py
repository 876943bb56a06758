"""/api/v1/registrations — the registry (入库登记): lists for agencies and the province, and
verification of a number for the tax agency (external systems)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from sqlalchemy import select

from review.adapters.tables import RegistrationRow
from review.domain.registration import status_on
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


@router.get(
    "/verify",
    response_model=VerificationOut,
    operation_id="registrations_verify",
    summary="核验入库登记 / Verify a registration",
    description=(
        "税务等外部机构核验企业某评价年度是否入库登记，"
        "以及在 `on` 日（默认今天）的状态；撤销自撤销日起算。"
        " / Whether the enterprise held a registration for evaluation year `year` (whatever the"
        " query date) and its state on `on` (default today); a revocation counts from"
        " `revoked_on`."
    ),
)
async def verify(
    principal: Verifier,
    runtime: Runtime,
    uscc: Annotated[str, Query(pattern=USCC_PATTERN, description="统一社会信用代码 / USCC")],
    year: YearQuery,
    on: Annotated[
        date | None,
        Query(description="查询状态的日期，默认今天 / the date of the state, default today"),
    ] = None,
) -> VerificationOut:
    """Was the enterprise registered for the year, and what was the number's state on `on`?
    During the tax settlement of year Y (January–May of Y+1) `registered` stays true while
    `status` says `expired`: the question is the year, not today."""
    as_of = on or runtime.clock.today()
    async with runtime.db.sessions() as session:
        row = (
            await session.execute(
                select(RegistrationRow).where(
                    RegistrationRow.uscc == uscc, RegistrationRow.year == year
                )
            )
        ).scalar_one_or_none()
    if row is None:
        return VerificationOut(
            registered=False, uscc=uscc, year=year, status="not_registered", as_of=as_of
        )
    return VerificationOut(
        uscc=uscc,
        year=year,
        registered=True,
        number=row.number,
        registered_on=row.registered_on,
        valid_from=row.registered_on,
        valid_until=row.valid_until,
        revoked_on=row.revoked_on,
        ground=row.revocation_ground,
        status=status_on(
            registered_on=row.registered_on,
            valid_until=row.valid_until,
            revoked_on=row.revoked_on,
            on=as_of,
        ),
        as_of=as_of,
    )
