"""What each of review's events does to an application, against the in-memory unit of work
(milliseconds): the moves it makes, and the events it ignores — a late or older-round event,
someone else's application, an application that has ended."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from intake.adapters.in_memory import InMemoryIntakeUnitOfWork
from intake.adapters.tables import ApplicationRow
from intake.domain.status import ApplicationStatus
from intake.service_layer import status_events
from shared.kernel.codes.uscc import with_check_digit
from shared.kernel.events.envelope import CloudEvent, EventPayload
from shared.kernel.events.payloads.intake import ApplicationClosed
from shared.kernel.events.payloads.review import (
    PublicityEntry,
    PublicityStarted,
    RegistrationIssued,
    RegistrationRevoked,
    ReviewCaseClosed,
    ReviewCaseOpened,
    ReviewDecided,
)
from shared.platform.messaging.handler_registry import Received

from .applications_contract import application

S = ApplicationStatus
AT = datetime(2026, 7, 1, 3, 0, tzinfo=UTC)
NUMBER = "2026150105A0000001"


def _uscc(n: int) -> str:
    return with_check_digit(f"91150105MA0Q4{n:04d}")


def _envelope(payload: EventPayload) -> CloudEvent:
    return CloudEvent.wrap(payload, source="/sme/review", time=AT)


async def _seeded(
    uow: InMemoryIntakeUnitOfWork, status: S, n: int = 1, round_: int = 1
) -> ApplicationRow:
    row = application(_uscc(n), status=status)
    row.round = round_
    await uow.applications.add(row, AT)
    return row


def _opened(row: ApplicationRow, *, agency: str = "150100", round_: int = 1) -> ReviewCaseOpened:
    return ReviewCaseOpened(
        case_id="c1",
        application_id=str(row.id),
        year=row.year,
        uscc=row.uscc,
        agency=agency,
        opened_at=AT,
        round=round_,
    )


def _decided(
    row: ApplicationRow, decision: str, reason: str | None = None, round_: int = 1
) -> ReviewDecided:
    return ReviewDecided(
        case_id="c1",
        application_id=str(row.id),
        year=row.year,
        uscc=row.uscc,
        decision=decision,  # type: ignore[arg-type]
        reason=reason,
        agency="150100",
        decided_at=AT,
        round=round_,
    )


def _issued(
    row: ApplicationRow, *, with_id: bool = True, number: str = NUMBER
) -> RegistrationIssued:
    return RegistrationIssued(
        number=number,
        uscc=row.uscc,
        year=row.year,
        region_code="150105",
        agency="150100",
        valid_until=date(2026, 12, 31),
        registered_on=date(2026, 8, 1),
        application_id=str(row.id) if with_id else None,
    )


def _revoked(row: ApplicationRow, number: str = NUMBER) -> RegistrationRevoked:
    return RegistrationRevoked(
        number=number, uscc=row.uscc, year=row.year, ground="fraud", revoked_on=date(2026, 9, 1)
    )


async def _statuses(uow: InMemoryIntakeUnitOfWork, row: ApplicationRow) -> list[str]:
    return [t.status for t in await uow.applications.timeline(row.id)]


async def test_an_opened_case_puts_the_application_under_review_with_the_routed_agency() -> None:
    uow = InMemoryIntakeUnitOfWork()
    row = await _seeded(uow, S.SUBMITTED)
    event = _opened(row, agency="150200")
    await status_events.on_review_opened(uow, event, _envelope(event))
    assert (row.status, row.agency) == ("under_review", "150200")
    assert [r.action for r in uow.audit.records] == [
        "application.routed",
        "application.under_review",
    ]
    assert uow.audit.records[0].before == {"agency": "150100"}


async def test_an_opened_case_of_an_older_round_or_an_unknown_application_is_ignored() -> None:
    uow = InMemoryIntakeUnitOfWork()
    row = await _seeded(uow, S.SUBMITTED, round_=2)
    for event in (
        _opened(row, round_=1),
        _opened(application(row.uscc)),  # an application intake does not hold
    ):
        await status_events.on_review_opened(uow, event, _envelope(event))
    assert row.status == "submitted"
    assert uow.audit.records == []


async def test_decisions_move_and_a_return_keeps_the_reviewers_reason() -> None:
    uow = InMemoryIntakeUnitOfWork()
    approved = await _seeded(uow, S.UNDER_REVIEW, 1)
    returned = await _seeded(uow, S.UNDER_REVIEW, 2)
    for row, decision, reason in ((approved, "approve", None), (returned, "return", "补充材料")):
        event = _decided(row, decision, reason)
        await status_events.on_review_decided(uow, event, _envelope(event))
    assert (approved.status, approved.decision_reason) == ("approved", None)
    assert (returned.status, returned.decision_reason) == ("returned", "补充材料")
    assert (await uow.applications.timeline(returned.id))[-1].reason == "补充材料"
    assert [r.action for r in uow.audit.records] == ["application.approved", "application.returned"]


async def test_a_decision_on_an_older_round_or_an_ended_application_changes_nothing() -> None:
    uow = InMemoryIntakeUnitOfWork()
    resubmitted = await _seeded(uow, S.SUBMITTED, 1, round_=2)
    withdrawn = await _seeded(uow, S.WITHDRAWN, 2)
    for event in (_decided(resubmitted, "reject", round_=1), _decided(withdrawn, "approve")):
        await status_events.on_review_decided(uow, event, _envelope(event))
    assert (resubmitted.status, withdrawn.status) == ("submitted", "withdrawn")
    assert uow.audit.records == []


async def test_a_publicity_batch_moves_its_approved_entries_in_one_go() -> None:
    uow = InMemoryIntakeUnitOfWork()
    by_id = await _seeded(uow, S.APPROVED, 1)
    by_uscc = await _seeded(uow, S.APPROVED, 2)
    draft = await _seeded(uow, S.DRAFT, 3)  # not one the table lets publicity move
    event = PublicityStarted(
        batch_id="b1",
        year=2026,
        starts_on=date(2026, 7, 6),
        ends_on=date(2026, 7, 17),
        entries=[
            PublicityEntry(
                uscc=by_id.uscc, name="甲", agency="150100", application_id=str(by_id.id)
            ),
            PublicityEntry(uscc=by_uscc.uscc, name="乙", agency="150100"),
            PublicityEntry(
                uscc=draft.uscc, name="丙", agency="150100", application_id=str(draft.id)
            ),
        ],
    )
    await status_events.on_publicity_started(uow, event, _envelope(event))
    assert (by_id.status, by_uscc.status, draft.status) == ("in_publicity", "in_publicity", "draft")
    assert (await uow.applications.timeline(by_id.id))[
        -1
    ].reason == "公示期 2026-07-06 至 2026-07-17"
    (record,) = uow.audit.records
    assert (record.action, record.entity_id) == ("application.in_publicity", "b1")
    assert sorted(record.after["applications"]) == sorted([str(by_id.id), str(by_uscc.id)])

    await status_events.on_publicity_started(uow, event, _envelope(event))  # moves nothing now
    assert len(uow.audit.records) == 1


async def test_a_run_of_issued_registrations_registers_each_application_once() -> None:
    uow = InMemoryIntakeUnitOfWork()
    named = await _seeded(uow, S.IN_PUBLICITY, 1)
    unnamed = await _seeded(uow, S.APPROVED, 2)
    ended = await _seeded(uow, S.REJECTED, 3)
    run = [
        _issued(named),
        _issued(unnamed, with_id=False, number="N-2"),
        _issued(ended),
        _issued(named),
    ]
    await status_events.on_registrations_issued(uow, [Received(e, _envelope(e)) for e in run])
    assert (named.status, named.registration_number) == ("registered", NUMBER)
    assert (unnamed.status, unnamed.registration_number) == ("registered", "N-2")
    assert ended.status == "rejected"
    assert await _statuses(uow, named) == ["in_publicity", "registered"]  # the repeat is ignored
    assert [(r.action, r.after["reason"]) for r in uow.audit.records] == [
        ("application.registered", NUMBER),
        ("application.registered", "N-2"),
    ]


async def test_a_revocation_bars_the_enterprise_once_and_revokes_its_registration() -> None:
    uow = InMemoryIntakeUnitOfWork()
    row = await _seeded(uow, S.REGISTERED)
    row.registration_number = NUMBER
    event = _revoked(row)
    await status_events.on_registration_revoked(uow, event, _envelope(event))
    await status_events.on_registration_revoked(uow, event, _envelope(event))  # redelivered
    assert row.status == "revoked"
    assert [b.number for b in await uow.applications.revocations_of(row.uscc)] == [NUMBER]
    assert [r.action for r in uow.audit.records] == [
        "enterprise.barred_after_revocation",
        "application.revoked",
    ]


async def test_another_registrations_revocation_bars_but_does_not_revoke() -> None:
    uow = InMemoryIntakeUnitOfWork()
    row = await _seeded(uow, S.REGISTERED)
    row.registration_number = NUMBER
    event = _revoked(row, number="OTHER-1")
    await status_events.on_registration_revoked(uow, event, _envelope(event))
    assert row.status == "registered"
    assert [r.action for r in uow.audit.records] == ["enterprise.barred_after_revocation"]


async def test_a_case_closed_at_the_year_close_closes_and_announces_the_application() -> None:
    uow = InMemoryIntakeUnitOfWork()
    held = await _seeded(uow, S.UNDER_REVIEW, 1)
    registered = await _seeded(uow, S.REGISTERED, 2)
    for row in (held, registered):
        event = ReviewCaseClosed(
            case_id="c1",
            application_id=str(row.id),
            year=row.year,
            uscc=row.uscc,
            agency="150100",
            reason="year_closed",
            closed_at=AT,
        )
        await status_events.on_review_closed(uow, event, _envelope(event))
    assert (held.status, registered.status) == ("closed", "registered")
    (announced,) = uow.outbox.events
    assert isinstance(announced, ApplicationClosed)
    assert (announced.application_id, announced.reason) == (str(held.id), "year_closed")


async def test_an_event_naming_someone_elses_application_is_ignored() -> None:
    uow = InMemoryIntakeUnitOfWork()
    row = await _seeded(uow, S.UNDER_REVIEW, 1)
    event = _decided(row, "approve").model_copy(update={"uscc": _uscc(9)})
    await status_events.on_review_decided(uow, event, _envelope(event))
    assert row.status == "under_review"
    assert uuid.UUID(event.application_id) == row.id
