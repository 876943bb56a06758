"""The year close for drafts (contract § Round 2 "Year close").

Review closes every case it holds and intake follows its `cn.sme.review.closed.v1`; a draft
never reached review, so intake closes the drafts of a closed year itself, with the same
status, reason and event. Run by a periodic job in every replica: the advisory lock lets one
replica do a year at a time and the status filter makes a second run find nothing, so each
draft is closed, and its event emitted, once.
"""

from __future__ import annotations

from datetime import date, datetime

from intake.adapters.unit_of_work import SqlIntakeUnitOfWork
from intake.domain.status import ApplicationStatus
from intake.service_layer.unit_of_work import IntakeUnitOfWork
from shared.kernel.events.payloads.intake import ApplicationClosed
from shared.platform.db.audit import Actor
from shared.platform.runtime import ServiceRuntime

YEAR_CLOSED = "year_closed"


async def close_drafts(uow: IntakeUnitOfWork, *, year: int, now: datetime) -> int:
    """Close the year's drafts; the number closed (0 if another replica holds the year)."""
    drafts = await uow.applications.drafts_to_close(year)
    for row in drafts:
        uow.applications.record_status(row, ApplicationStatus.CLOSED, now, YEAR_CLOSED)
    await uow.outbox.add_many(
        [
            ApplicationClosed(
                application_id=str(r.id),
                year=r.year,
                uscc=r.uscc,
                reason=YEAR_CLOSED,
                closed_at=now,
            )
            for r in drafts
        ]
    )
    if drafts:
        await uow.audit.record(
            "application.closed",
            "application",
            f"drafts-{year}",
            before={"status": ApplicationStatus.DRAFT.value},
            after={
                "status": ApplicationStatus.CLOSED.value,
                "reason": YEAR_CLOSED,
                "ids": [str(r.id) for r in drafts],
            },
        )
    return len(drafts)


def years_closed(runtime: ServiceRuntime, today: date) -> list[int]:
    return [
        y for y in runtime.policies.years() if today > runtime.policies.cached(y).year_closes_on
    ]


async def run_close_drafts(runtime: ServiceRuntime) -> int:
    """The periodic job: drafts of every year whose close has passed."""
    closed = 0
    for year in years_closed(runtime, runtime.clock.today()):
        async with runtime.uow(Actor.system(runtime.name)) as work:
            closed += await close_drafts(
                SqlIntakeUnitOfWork(work), year=year, now=runtime.clock.now()
            )
    return closed
