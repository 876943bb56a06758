"""The year close (contract § Round 2 "Year close"; 87号: 登记编号当年有效).

After `window.year_closes_on` every review case of the year that is not registered (nor
already rejected or withdrawn) is closed with reason `year_closed`, and each closure emits
`cn.sme.review.closed.v1`; intake closes the application on it and emits the contract's
`cn.sme.application.closed.v1`. Run by the periodic job in every replica and by
`POST /api/v1/ops/review/year-close/{year}`: a transaction-scoped advisory lock per year
lets one run at a time do the work (another replica skips instead of waiting), and the
status filter makes a later run close only what is still open — so each case is closed,
and its event emitted, exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from review.adapters.tables import ReviewCaseRow
from review.adapters.unit_of_work import SqlReviewUnitOfWork
from review.domain.status import CLOSABLE, CaseStatus
from review.domain.year_close import may_issue_on
from review.service_layer.unit_of_work import ReviewUnitOfWork
from shared.kernel.errors import Conflict
from shared.kernel.events.payloads.review import ReviewCaseClosed
from shared.platform.db.audit import Actor
from shared.platform.runtime import ServiceRuntime

YEAR_CLOSED = "year_closed"


class YearNotClosed(Conflict):
    code = "year_not_closed"
    message = "该评价年度尚未到关闭日"
    message_en = "The evaluation year has not reached its close yet"


@dataclass(frozen=True, slots=True)
class YearCloseRun:
    year: int
    year_closes_on: date
    closed: int
    # False when another replica held the year's lock: it does (or did) the work.
    ran: bool = True


async def close_case(uow: ReviewUnitOfWork, case: ReviewCaseRow, now: datetime, actor: str) -> None:
    """Close one open case of a closed year, with its history, event and audit record."""
    before = case.status
    uow.cases.move(case, CaseStatus.CLOSED, now, "closed", actor=actor, reason=YEAR_CLOSED)
    await uow.outbox.add(
        ReviewCaseClosed(
            case_id=str(case.id),
            application_id=str(case.application_id),
            year=case.year,
            uscc=case.uscc,
            agency=case.agency,
            reason=YEAR_CLOSED,
            closed_at=now,
        )
    )
    await uow.audit.record(
        "review_case.close",
        "review_case",
        str(case.id),
        before={"status": before},
        after={"status": case.status, "reason": YEAR_CLOSED},
    )


async def close_year(
    uow: ReviewUnitOfWork,
    *,
    year: int,
    year_closes_on: date,
    today: date,
    now: datetime,
    actor: str,
) -> YearCloseRun:
    if may_issue_on(today, year_closes_on):
        raise YearNotClosed(
            f"{year}年度于{year_closes_on}关闭，之后方可执行年度关闭",
            f"The evaluation year {year} closes on {year_closes_on}; run the close after that",
        )
    if not await uow.cases.try_lock_year_close(year):
        return YearCloseRun(year, year_closes_on, 0, ran=False)
    cases = await uow.cases.lock_of_year(year, CLOSABLE)
    for case in cases:
        await close_case(uow, case, now, actor)
    return YearCloseRun(year, year_closes_on, len(cases))


async def run_year_close(runtime: ServiceRuntime, actor: Actor | None = None) -> list[YearCloseRun]:
    """The periodic job: close every known year whose close has passed (idempotent)."""
    today, runs = runtime.clock.today(), []
    for year in runtime.policies.years():
        policy = await runtime.policies.get(year)
        if may_issue_on(today, policy.year_closes_on):
            continue
        async with runtime.uow(actor or Actor.system(runtime.name)) as uow:
            runs.append(
                await close_year(
                    SqlReviewUnitOfWork(uow),
                    year=year,
                    year_closes_on=policy.year_closes_on,
                    today=today,
                    now=runtime.clock.now(),
                    actor=runtime.name,
                )
            )
    return runs
