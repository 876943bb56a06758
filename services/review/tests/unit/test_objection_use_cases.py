"""Objections (异议) from supervision against the in-memory unit of work: a filing holds
the case in publicity, an upheld one rejects it, a dismissed one releases it — into
publicity, registered at once if its batch was announced meanwhile, or closed after the
year close — with the events and audit records each path writes, without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from review.adapters.in_memory import InMemoryReviewUnitOfWork
from review.adapters.tables import PublicityBatchRow, ReviewCaseRow
from review.domain.status import BatchStatus, CaseStatus
from review.service_layer import objections
from shared.kernel.events.payloads.review import (
    RegistrationIssued,
    ReviewCaseClosed,
    ReviewDecided,
)
from shared.kernel.events.payloads.supervision import CaseAccepted, CaseConcluded, CaseFiled
from shared.kernel.policy.loader import shipped_policy
from shared.platform.policies.in_memory import ShippedPolicies

from .fakes import envelope
from .rows import AGENCY, AT, batch_row, case_row

C = CaseStatus
AFTER_THE_CLOSE = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)


@pytest.fixture
def uow() -> InMemoryReviewUnitOfWork:
    return InMemoryReviewUnitOfWork()


@pytest.fixture
def batch(uow: InMemoryReviewUnitOfWork) -> PublicityBatchRow:
    return uow.batches.add(batch_row())


@pytest.fixture
def case(uow: InMemoryReviewUnitOfWork, batch: PublicityBatchRow) -> ReviewCaseRow:
    return uow.cases.add(case_row(1, C.IN_PUBLICITY, batch=batch))


async def file(
    uow: InMemoryReviewUnitOfWork, case: ReviewCaseRow, sv: str = "SV-1", kind: str = "objection"
) -> None:
    event = CaseFiled(case_id=sv, kind=kind, uscc=case.uscc, batch_id=str(case.batch_id))
    await objections.on_case_filed(uow, event, envelope(event, AT))


async def conclude(
    uow: InMemoryReviewUnitOfWork,
    case: ReviewCaseRow,
    finding: str,
    sv: str = "SV-1",
    at: datetime = AT,
) -> None:
    event = CaseConcluded(
        case_id=sv, kind="objection", uscc=case.uscc, batch_id=str(case.batch_id), finding=finding
    )
    await objections.on_case_concluded(uow, event, envelope(event, at), ShippedPolicies())


async def test_an_objection_holds_the_case(
    uow: InMemoryReviewUnitOfWork, case: ReviewCaseRow
) -> None:
    await file(uow, case)
    assert case.status == "held"
    objection = await uow.objections.lock("SV-1")
    assert objection is not None
    assert (objection.state, objection.review_case_id) == ("open", case.id)
    (audit,) = uow.audit.records
    assert (audit.action, audit.before, audit.after) == (
        "review_case.hold",
        {"status": "in_publicity"},
        {"status": "held", "objection": "SV-1"},
    )
    steps = await uow.cases.history(case.id)
    assert [(s.action, s.status, s.actor, s.reason) for s in steps] == [
        ("held", "held", "supervision", "SV-1")
    ]
    assert uow.outbox.events == []  # intake is told at the outcome, not at the hold


async def test_complaints_and_objections_outside_publicity_hold_nothing(
    uow: InMemoryReviewUnitOfWork, case: ReviewCaseRow
) -> None:
    await file(uow, case, "SV-C", kind="complaint")
    assert (case.status, uow.objections.rows) == ("in_publicity", {})
    case.status = C.APPROVED.value  # e.g. already out of this publicity
    await file(uow, case, "SV-2")
    assert case.status == "approved"
    assert uow.audit.records == []


async def test_an_upheld_objection_rejects_the_case(
    uow: InMemoryReviewUnitOfWork, case: ReviewCaseRow
) -> None:
    await file(uow, case)
    await conclude(uow, case, "substantiated")
    assert (case.status, case.decision, case.decided_by) == ("rejected", "reject", "supervision")
    assert "SV-1" in (case.decision_reason or "")
    (event,) = uow.outbox.events
    assert isinstance(event, ReviewDecided)
    assert (event.case_id, event.decision, event.reason, event.agency) == (
        str(case.id),
        "reject",
        case.decision_reason,
        AGENCY,
    )
    assert (uow.audit.records[-1].action, uow.audit.records[-1].after) == (
        "review_case.reject_after_objection",
        {"status": "rejected", "objection": "SV-1"},
    )
    assert uow.objections.rows["SV-1"].state == "upheld"
    # the same conclusion delivered again changes nothing
    await conclude(uow, case, "substantiated")
    assert len(uow.outbox.events) == 1


async def test_a_dismissed_objection_puts_the_case_back_into_publicity(
    uow: InMemoryReviewUnitOfWork, case: ReviewCaseRow
) -> None:
    await file(uow, case)
    await conclude(uow, case, "unsubstantiated")
    assert case.status == "in_publicity"
    assert uow.objections.rows["SV-1"].state == "dismissed"
    assert (uow.audit.records[-1].action, uow.audit.records[-1].after) == (
        "review_case.release",
        {"status": "in_publicity"},
    )
    assert uow.outbox.events == []
    steps = await uow.cases.history(case.id)
    assert [s.action for s in steps] == ["held", "released"]


async def test_an_objection_not_accepted_releases_and_another_open_one_still_holds(
    uow: InMemoryReviewUnitOfWork, case: ReviewCaseRow
) -> None:
    await file(uow, case, "SV-1")
    await file(uow, case, "SV-2")  # the case is held already: no second hold
    assert [r.action for r in uow.audit.records] == ["review_case.hold"]
    refused = CaseAccepted(
        case_id="SV-1",
        kind="objection",
        uscc=case.uscc,
        batch_id=str(case.batch_id),
        accepted=False,
    )
    await objections.on_case_accepted(uow, refused, envelope(refused, AT), ShippedPolicies())
    assert uow.objections.rows["SV-1"].state == "dismissed"
    assert case.status == "held"  # SV-2 still open
    await conclude(uow, case, "unsubstantiated", "SV-2")
    assert case.status == "in_publicity"


async def test_a_release_after_the_announcement_registers_the_case(
    uow: InMemoryReviewUnitOfWork, case: ReviewCaseRow, batch: PublicityBatchRow
) -> None:
    await file(uow, case)
    batch.status = BatchStatus.ANNOUNCED.value  # the batch was announced while it was held
    await conclude(uow, case, "unsubstantiated")

    assert case.status == "registered"
    number = case.registration_number
    assert number is not None
    assert number.startswith("2026150105A")
    (event,) = uow.outbox.events
    assert isinstance(event, RegistrationIssued)
    assert (event.number, event.uscc, event.case_id, event.batch_id) == (
        number,
        case.uscc,
        str(case.id),
        str(batch.id),
    )
    assert event.valid_until == shipped_policy(2026).registration.valid_until_for(2026)
    registration = await uow.registry.get(number)
    assert registration is not None
    assert (registration.status, registration.registered_on) == ("valid", date(2026, 6, 15))
    (notice,) = uow.notices.rows.values()
    assert (notice.kind, notice.batch_id) == ("announcement", batch.id)
    assert [(e.uscc, e.registration_number) for e in uow.notices.entries] == [(case.uscc, number)]
    assert (uow.audit.records[-1].action, uow.audit.records[-1].after) == (
        "review_case.register_after_objection",
        {"status": "registered", "number": number},
    )


async def test_a_release_after_the_year_close_closes_the_case(
    uow: InMemoryReviewUnitOfWork, case: ReviewCaseRow, batch: PublicityBatchRow
) -> None:
    await file(uow, case)
    batch.status = BatchStatus.ANNOUNCED.value
    await conclude(uow, case, "unsubstantiated", at=AFTER_THE_CLOSE)
    assert (case.status, case.registration_number) == ("closed", None)
    (event,) = uow.outbox.events
    assert isinstance(event, ReviewCaseClosed)
    assert (event.case_id, event.reason) == (str(case.id), "year_closed")
    assert uow.registry.rows == {}
    assert uow.audit.records[-1].action == "review_case.close"


async def test_a_conclusion_seen_before_its_filing_still_decides(
    uow: InMemoryReviewUnitOfWork, case: ReviewCaseRow
) -> None:
    await conclude(uow, case, "substantiated", "SV-LATE")
    assert uow.objections.rows["SV-LATE"].review_case_id == case.id
    assert case.status == "rejected"


async def test_an_objection_upheld_too_late_leaves_a_registered_case(
    uow: InMemoryReviewUnitOfWork, case: ReviewCaseRow
) -> None:
    await file(uow, case)
    case.status = C.REGISTERED.value  # registered meanwhile (a number is undone by revocation)
    await conclude(uow, case, "substantiated")
    assert (case.status, case.decision) == ("registered", None)
    assert uow.objections.rows["SV-1"].state == "upheld"
    assert uow.outbox.events == []
