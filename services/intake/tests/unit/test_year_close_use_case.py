"""Intake's part of the year close against the in-memory unit of work: the year's drafts are
closed with reason `year_closed` and announced, once; nothing else is touched."""

from __future__ import annotations

from datetime import UTC, datetime

from intake.adapters.in_memory import InMemoryIntakeUnitOfWork
from intake.domain.status import ApplicationStatus
from intake.service_layer.year_close import YEAR_CLOSED, close_drafts
from shared.kernel.codes.uscc import with_check_digit
from shared.kernel.events.payloads.intake import ApplicationClosed

from .applications_contract import AT, application

S = ApplicationStatus
NOW = datetime(2027, 1, 2, 1, 0, tzinfo=UTC)


def _uscc(n: int) -> str:
    return with_check_digit(f"91150105MA0Q5{n:04d}")


async def test_the_years_drafts_are_closed_announced_and_audited_once() -> None:
    uow = InMemoryIntakeUnitOfWork()
    drafts = [application(_uscc(n), status=S.DRAFT) for n in range(2)]
    submitted = application(_uscc(9), status=S.SUBMITTED)
    other_year = application(_uscc(8), year=2025, status=S.DRAFT)
    for row in (*drafts, submitted, other_year):
        await uow.applications.add(row, AT)

    assert await close_drafts(uow, year=2026, now=NOW) == 2

    assert [r.status for r in drafts] == ["closed", "closed"]
    assert (submitted.status, other_year.status) == ("submitted", "draft")
    timeline = await uow.applications.timeline(drafts[0].id)
    assert [(t.status, t.reason, t.at) for t in timeline][-1] == ("closed", YEAR_CLOSED, NOW)
    assert all(isinstance(e, ApplicationClosed) for e in uow.outbox.events)
    assert sorted(e.application_id for e in uow.outbox.events) == sorted(  # type: ignore[attr-defined]
        str(r.id) for r in drafts
    )
    (record,) = uow.audit.records
    assert (record.action, record.entity_id) == ("application.closed", "drafts-2026")
    assert sorted(record.after["ids"]) == sorted(str(r.id) for r in drafts)

    assert await close_drafts(uow, year=2026, now=NOW) == 0  # a second run finds nothing
    assert len(uow.outbox.events) == 2
    assert len(uow.audit.records) == 1


async def test_a_year_without_drafts_emits_and_records_nothing() -> None:
    uow = InMemoryIntakeUnitOfWork()
    await uow.applications.add(application(_uscc(7), status=S.REGISTERED), AT)
    assert await close_drafts(uow, year=2026, now=NOW) == 0
    assert (uow.outbox.events, uow.audit.records) == ([], [])
