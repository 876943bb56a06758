"""Revocations decided in supervision and the year close, against the in-memory unit of
work: which registration a decision revokes (never another enterprise's), the public notice,
the events and audit records; which cases the year close closes, once, and when it refuses
or leaves the work to another replica — without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from review.adapters.in_memory import InMemoryReviewUnitOfWork
from review.adapters.tables import ReviewCaseRow
from review.domain.status import CaseStatus
from review.service_layer import year_close
from review.service_layer.registry import on_revocation_decided
from shared.kernel.events.payloads.review import RegistrationRevoked, ReviewCaseClosed
from shared.kernel.events.payloads.supervision import RevocationDecided

from .fakes import envelope
from .rows import AT, case_row, number, registered

C = CaseStatus
NUMBER = number(1)
AFTER_THE_CLOSE = datetime(2027, 1, 4, 2, 0, tzinfo=UTC)


@pytest.fixture
def uow() -> InMemoryReviewUnitOfWork:
    return InMemoryReviewUnitOfWork()


def decision(case: ReviewCaseRow, number: str = NUMBER, **fields: object) -> RevocationDecided:
    values: dict[str, object] = {
        "number": number,
        "uscc": case.uscc,
        "year": 2026,
        "ground": "serious_fraud",
        "basis": "核查发现虚报研发费用",
        "decided_on": date(2026, 8, 3),
        **fields,
    }
    return RevocationDecided.model_validate(values)


async def revoke(uow: InMemoryReviewUnitOfWork, event: RevocationDecided) -> None:
    await on_revocation_decided(uow, event, envelope(event, AT))


async def test_a_revocation_revokes_announces_and_tells_others(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    case = await registered(uow)
    await revoke(uow, decision(case))
    registration = uow.registry.rows[NUMBER]
    assert (registration.status, registration.revoked_on, registration.revocation_ground) == (
        "revoked",
        date(2026, 8, 3),
        "serious_fraud",
    )
    assert registration.revocation_basis == "核查发现虚报研发费用"
    assert case.status == "registered"  # the case keeps its status; its timeline says it
    steps = await uow.cases.history(case.id)
    assert [(s.action, s.actor, s.reason) for s in steps][-1] == (
        "revoked",
        "supervision",
        "serious_fraud",
    )
    (notice,) = uow.notices.rows.values()
    assert (notice.kind, notice.published_on) == ("revocation", date(2026, 8, 3))
    assert "存在严重弄虚作假行为" in notice.title
    listed = await uow.notices.listed_on(notice.id)
    assert [(e.uscc, e.registration_number, e.ground) for e in listed] == [
        (case.uscc, NUMBER, "serious_fraud")
    ]
    (event,) = uow.outbox.events
    assert isinstance(event, RegistrationRevoked)
    assert (event.number, event.uscc, event.revoked_on, event.application_id) == (
        NUMBER,
        case.uscc,
        date(2026, 8, 3),
        str(case.application_id),
    )
    (audit,) = uow.audit.records
    assert (audit.action, audit.entity_id, audit.before) == (
        "registration.revoke",
        NUMBER,
        {"status": "valid"},
    )


async def test_a_mistyped_number_is_found_by_enterprise_and_year(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    case = await registered(uow)
    await revoke(uow, decision(case, "2026150105A000001"))
    assert uow.registry.rows[NUMBER].status == "revoked"
    assert len(uow.outbox.events) == 1


async def test_a_decision_naming_another_enterprise_revokes_nothing(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    case, other = await registered(uow), await registered(uow, 2)
    await revoke(uow, decision(case, "2026150105A0000002"))  # other's number, case's USCC
    assert uow.registry.rows["2026150105A0000002"].status == "valid"
    assert uow.registry.rows[NUMBER].status == "valid"
    await revoke(uow, decision(case, "2026150105A9999999", year=2025))  # nothing that year
    assert other.status == "registered"
    assert (uow.notices.rows, uow.outbox.events, uow.audit.records) == ({}, [], [])


async def test_a_revocation_delivered_again_changes_nothing(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    case = await registered(uow)
    await revoke(uow, decision(case))
    await revoke(uow, decision(case, decided_on=date(2026, 9, 1)))
    assert uow.registry.rows[NUMBER].revoked_on == date(2026, 8, 3)
    assert (len(uow.notices.rows), len(uow.outbox.events), len(uow.audit.records)) == (1, 1, 1)


async def test_without_a_decision_date_the_revocation_is_dated_by_its_event(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    case = await registered(uow)
    await revoke(uow, decision(case, decided_on=None))
    assert uow.registry.rows[NUMBER].revoked_on == date(2026, 6, 15)  # AT in China


async def close(
    uow: InMemoryReviewUnitOfWork, today: date = date(2027, 1, 4)
) -> year_close.YearCloseRun:
    return await year_close.close_year(
        uow,
        year=2026,
        year_closes_on=date(2026, 12, 31),
        today=today,
        now=AFTER_THE_CLOSE,
        actor="review",
    )


async def test_the_year_close_closes_every_open_case_once(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    open_cases = [uow.cases.add(case_row(n, s)) for n, s in ((3, C.PENDING), (4, C.APPROVED))]
    held = uow.cases.add(case_row(5, C.HELD))
    final = [uow.cases.add(case_row(n, s)) for n, s in ((6, C.REJECTED), (7, C.WITHDRAWN))]
    other_year = uow.cases.add(case_row(8, year=2025))
    done = await registered(uow, 9)
    run = await close(uow)
    assert (run.year, run.closed, run.ran) == (2026, 3, True)
    for case in (*open_cases, held):
        assert case.status == "closed"
        (*_, step) = await uow.cases.history(case.id)
        assert (step.action, step.actor, step.reason) == ("closed", "review", "year_closed")
    assert [c.status for c in final] == ["rejected", "withdrawn"]
    assert (other_year.status, done.status) == ("pending", "registered")
    events = uow.outbox.events
    assert all(isinstance(e, ReviewCaseClosed) for e in events)
    assert sorted(e.case_id for e in events if isinstance(e, ReviewCaseClosed)) == sorted(
        str(c.id) for c in (*open_cases, held)
    )
    assert {a.action for a in uow.audit.records} == {"review_case.close"}
    assert len(uow.audit.records) == 3
    again = await close(uow)
    assert (again.closed, len(uow.outbox.events)) == (0, 3)


async def test_the_year_close_is_refused_before_the_close(uow: InMemoryReviewUnitOfWork) -> None:
    case = uow.cases.add(case_row(10))
    with pytest.raises(year_close.YearNotClosed):
        await close(uow, today=date(2026, 12, 31))
    assert case.status == "pending"
    assert uow.outbox.events == []


async def test_another_replica_running_the_close_leaves_it_the_work(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    case = uow.cases.add(case_row(11))
    uow.cases.closing_elsewhere.add(2026)
    run = await close(uow)
    assert (run.closed, run.ran) == (0, False)
    assert case.status == "pending"
    assert uow.outbox.events == []
