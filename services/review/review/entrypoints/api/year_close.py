"""/api/v1/ops/review/year-close/{year} — the province runs the year close now (the same
work the periodic job does; contract § Round 2 "Year close")."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from review.adapters.unit_of_work import SqlReviewUnitOfWork
from review.entrypoints.api.deps import Province
from review.service_layer.year_close import close_year
from shared.platform.web.deps import Runtime
from shared.platform.web.openapi import error_responses
from shared.platform.web.params import year_path

router = APIRouter(prefix="/api/v1/ops/review", tags=["operations"])


class YearCloseOut(BaseModel):
    year: int = Field(description="评价年度 / evaluation year")
    year_closes_on: date = Field(description="年度关闭日 / the year close")
    closed: int = Field(
        description="本次关闭的审查案件数（重复执行为0） / review cases closed by this run "
        "(0 when run again)"
    )
    ran: bool = Field(
        description="是否由本次执行完成（另一副本正在执行时为false） / whether this run did the "
        "work (false while another replica holds the year)"
    )


@router.post(
    "/year-close/{year}",
    response_model=YearCloseOut,
    operation_id="year_close_run",
    summary="执行年度关闭 / Run the year close",
    description=(
        "关闭该年度所有未登记的审查案件（原因 year_closed），申请随之关闭；"
        "幂等，年度关闭日之前返回409。"
        " / Closes every review case of the year that is not registered (reason"
        " `year_closed`); intake closes the applications. Idempotent; 409 before the close."
    ),
    responses=error_responses(409),
)
async def run_year_close(
    year: Annotated[int, year_path("评价年度 / evaluation year")],
    principal: Province,
    runtime: Runtime,
) -> YearCloseOut:
    policy = await runtime.policies.get(year)
    async with runtime.uow(principal.actor) as uow:
        run = await close_year(
            SqlReviewUnitOfWork(uow),
            year=year,
            year_closes_on=policy.year_closes_on,
            today=runtime.clock.today(),
            now=runtime.clock.now(),
            actor=principal.sub,
        )
    return YearCloseOut(
        year=run.year, year_closes_on=run.year_closes_on, closed=run.closed, ran=run.ran
    )
