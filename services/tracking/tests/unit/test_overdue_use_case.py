"""Overdue detection (`detect_overdue`) against the in-memory unit of work (milliseconds):
which obligations it marks, one event each, one audit record for the run, nothing twice."""

from __future__ import annotations

from datetime import UTC, date, datetime

from shared.kernel.events.payloads.tracking import QuarterlyReportOverdue
from tracking.adapters.in_memory import InMemoryTrackingUnitOfWork
from tracking.domain.obligation_state import ObligationState
from tracking.service_layer.overdue import OverdueRun, detect_overdue

from .obligations_contract import obligation

S = ObligationState
TODAY = date(2026, 11, 26)  # Q3 2026 was due 2026-10-20 in these rows
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


async def test_past_due_obligations_become_overdue_with_one_event_each() -> None:
    uow = InMemoryTrackingUnitOfWork()
    owed = [uow.obligations.add(obligation()) for _ in range(2)]
    reported = uow.obligations.add(obligation(S.SUBMITTED))
    not_yet = uow.obligations.add(obligation(quarter=4))
    not_yet.due_on = date(2027, 1, 20)

    assert await detect_overdue(uow, TODAY, NOW) == OverdueRun(TODAY, 2)

    assert [(o.state, o.overdue_at) for o in owed] == [("overdue", NOW)] * 2
    assert (reported.state, not_yet.state) == ("submitted", "due")
    assert all(isinstance(e, QuarterlyReportOverdue) for e in uow.outbox.events)
    assert sorted((e.uscc, e.quarter, e.due_on) for e in uow.outbox.events) == sorted(  # type: ignore[attr-defined]
        (o.uscc, 3, date(2026, 10, 20)) for o in owed
    )
    (record,) = uow.audit.records
    assert (record.action, record.entity_id) == ("obligation.overdue", "due-before-2026-11-26")
    assert record.after == {"state": "overdue", "count": 2, "ids": [o.id for o in owed]}


async def test_a_second_run_marks_and_emits_nothing() -> None:
    uow = InMemoryTrackingUnitOfWork()
    uow.obligations.add(obligation())
    await detect_overdue(uow, TODAY, NOW)
    assert await detect_overdue(uow, TODAY, NOW) == OverdueRun(TODAY, 0)
    assert (len(uow.outbox.events), len(uow.audit.records)) == (1, 1)


async def test_the_due_day_itself_is_not_overdue() -> None:
    uow = InMemoryTrackingUnitOfWork()
    due_today = uow.obligations.add(obligation())
    assert await detect_overdue(uow, due_today.due_on, NOW) == OverdueRun(due_today.due_on, 0)
    assert (due_today.state, uow.outbox.events, uow.audit.records) == ("due", [], [])
