"""Overdue detection (逾期检测): one set-based statement and its events, in one transaction.

Run by the periodic job, by `POST /api/v1/tracking/overdue-detection` and by
`python -m tracking.detect_overdue`. Exactly the rows the UPDATE returned get a
`cn.sme.tracking.overdue.v1`, so running it twice emits nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from shared.kernel.events.payloads.tracking import QuarterlyReportOverdue
from shared.platform.db.audit import Actor
from shared.platform.runtime import ServiceRuntime
from tracking.adapters.unit_of_work import SqlTrackingUnitOfWork
from tracking.service_layer.unit_of_work import TrackingUnitOfWork


@dataclass(frozen=True, slots=True)
class OverdueRun:
    today: date
    marked: int


async def detect_overdue(uow: TrackingUnitOfWork, today: date, now: datetime) -> OverdueRun:
    rows = await uow.obligations.mark_overdue(today, now)
    if not rows:
        return OverdueRun(today, 0)
    # Built without re-validation: every field comes from a row written from a validated
    # registration event, and a batch can hold a province's quarter (bench: 100,000 rows).
    await uow.outbox.add_many(
        [
            QuarterlyReportOverdue.model_construct(
                uscc=r.uscc,
                year=r.year,
                quarter=r.quarter,
                due_on=r.due_on,
                agency=r.agency,
                registration_number=r.registration_number,
            )
            for r in rows
        ]
    )
    # One audit record for the batch; the ids say exactly which obligations it moved.
    await uow.audit.record(
        "obligation.overdue",
        "obligation",
        f"due-before-{today.isoformat()}",
        before={"state": "due"},
        after={"state": "overdue", "count": len(rows), "ids": [r.id for r in rows]},
    )
    return OverdueRun(today, len(rows))


async def run_overdue_detection(runtime: ServiceRuntime, actor: Actor | None = None) -> OverdueRun:
    """One run with "today" in China from the runtime's clock."""
    async with runtime.uow(actor or Actor.system(runtime.name)) as work:
        return await detect_overdue(
            SqlTrackingUnitOfWork(work), runtime.clock.today(), runtime.clock.now()
        )
