"""The agency's commands on a case (decision, on-site check) and the withdrawal from
intake, against the in-memory unit of work: the use cases' rules, the moves they allow
and refuse, jurisdiction, the events and the audit records, without a database."""

from __future__ import annotations

from datetime import timedelta

import pytest

from review.adapters.in_memory import InMemoryReviewUnitOfWork
from review.adapters.tables import ReviewCaseRow
from review.domain.decision import Decision, Notes
from review.domain.errors import (
    BlockingWarningsOpen,
    CaseNotFound,
    NotDecidable,
    OnsiteCheckMissing,
    OnsiteNotRequired,
    ReasonRequired,
    WarningNotesMissing,
)
from review.domain.status import CaseStatus
from review.domain.warnings import RaisedWarning
from review.service_layer import cases
from shared.kernel.events.payloads.intake import ApplicationWithdrawn
from shared.kernel.events.payloads.review import ReviewDecided
from shared.platform.auth.principal import Principal, Role
from shared.platform.policies.in_memory import ShippedPolicies

from .fakes import envelope
from .rows import AGENCY, AT, case_row

C = CaseStatus
ME = Principal(sub="reviewer-1", role=Role.AGENCY, org=AGENCY)
ANOTHER_AGENCY = Principal(sub="reviewer-2", role=Role.AGENCY, org="150200")
TRIGGERS = ["first_time_high_revenue"]
LATER = AT + timedelta(days=1)


@pytest.fixture
def uow() -> InMemoryReviewUnitOfWork:
    return InMemoryReviewUnitOfWork()


def request(
    decision: Decision, reason: str | None = None, notes: Notes = None
) -> cases.DecisionRequest:
    return cases.DecisionRequest(decision, reason, notes)


def warning(code: str, subject: str = "", severity: str = "warn") -> RaisedWarning:
    return RaisedWarning(code, severity, f"预警{code}", f"warning {code}", {}, subject)


async def test_approve_moves_the_case_announces_and_audits(uow: InMemoryReviewUnitOfWork) -> None:
    case = uow.cases.add(case_row(1))
    await cases.decide_case(uow, ME, case.id, request(Decision.APPROVE), AT)
    assert (case.status, case.decision, case.decided_by, case.decided_at) == (
        "approved",
        "approve",
        "reviewer-1",
        AT,
    )
    (event,) = uow.outbox.events
    assert isinstance(event, ReviewDecided)
    assert (event.case_id, event.application_id, event.decision, event.agency) == (
        str(case.id),
        str(case.application_id),
        "approve",
        AGENCY,
    )
    (audit,) = uow.audit.records
    assert (audit.action, audit.entity_id, audit.before) == (
        "review_case.decide",
        str(case.id),
        {"status": "pending"},
    )
    assert audit.after == {"status": "approved", "decision": "approve", "reason": None, "notes": {}}
    steps = await uow.cases.history(case.id)
    assert [(s.action, s.status, s.actor) for s in steps] == [
        ("decision_approve", "approved", "reviewer-1")
    ]


async def test_return_and_reject_need_a_reason_which_is_kept_trimmed(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    case = uow.cases.add(case_row(2))
    with pytest.raises(ReasonRequired):
        await cases.decide_case(uow, ME, case.id, request(Decision.RETURN, "  "), AT)
    assert (case.status, uow.outbox.events, uow.audit.records) == ("pending", [], [])
    await cases.decide_case(uow, ME, case.id, request(Decision.RETURN, " 补充材料 "), AT)
    assert (case.status, case.decision_reason) == ("returned", "补充材料")
    (event,) = uow.outbox.events
    assert isinstance(event, ReviewDecided)
    assert (event.decision, event.reason) == ("return", "补充材料")


async def test_a_warn_needs_a_note_a_block_refuses_approval(uow: InMemoryReviewUnitOfWork) -> None:
    noted, blocked = uow.cases.add(case_row(3)), uow.cases.add(case_row(4))
    await uow.warnings.upsert_on_cases([(noted.id, warning("duplicate_ip", "ZL1"))], AT)
    await uow.warnings.upsert_on_cases([(blocked.id, warning("credit", "", "block"))], AT)
    with pytest.raises(WarningNotesMissing):
        await cases.decide_case(uow, ME, noted.id, request(Decision.APPROVE), AT)
    with pytest.raises(BlockingWarningsOpen):
        await cases.decide_case(uow, ME, blocked.id, request(Decision.APPROVE, notes="ok"), AT)
    assert (noted.status, blocked.status, uow.outbox.events) == ("pending", "pending", [])

    notes = {"duplicate_ip": "专利系合作研发"}
    await cases.decide_case(uow, ME, noted.id, request(Decision.APPROVE, notes=notes), LATER)
    (row,) = await uow.warnings.of_case(noted.id)
    assert (row.resolved, row.resolution, row.note, row.noted_by, row.resolved_at) == (
        True,
        "noted",
        "专利系合作研发",
        "reviewer-1",
        LATER,
    )
    assert uow.audit.records[-1].after["notes"] == {"duplicate_ip:ZL1": "专利系合作研发"}
    # a block is no obstacle to returning the case
    await cases.decide_case(uow, ME, blocked.id, request(Decision.RETURN, "信用"), AT)
    assert blocked.status == "returned"


@pytest.mark.parametrize(
    "status", [C.APPROVED, C.RETURNED, C.REJECTED, C.IN_PUBLICITY, C.REGISTERED, C.WITHDRAWN]
)
async def test_a_case_out_of_assessment_is_not_decided(
    uow: InMemoryReviewUnitOfWork, status: CaseStatus
) -> None:
    case = uow.cases.add(case_row(5, status))
    with pytest.raises(NotDecidable):
        await cases.decide_case(uow, ME, case.id, request(Decision.REJECT, "x"), AT)
    assert case.status == status.value
    assert (uow.outbox.events, uow.audit.records) == ([], [])
    assert await uow.cases.history(case.id) == []


async def test_another_agencys_case_is_not_found_and_untouched(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    case = uow.cases.add(case_row(6, C.ONSITE_REQUIRED, onsite_triggers=TRIGGERS))
    with pytest.raises(CaseNotFound):
        await cases.decide_case(uow, ANOTHER_AGENCY, case.id, request(Decision.REJECT, "x"), AT)
    with pytest.raises(CaseNotFound):
        await cases.record_onsite_check(uow, ANOTHER_AGENCY, case.id, "passed", None, AT)
    assert (case.status, case.onsite_result) == ("onsite_required", None)
    assert (uow.outbox.events, uow.audit.records) == ([], [])
    # the province reads every case (the router admits agencies only to these commands)
    province = Principal(sub="p", role=Role.PROVINCE)
    assert await cases.own_case(uow, province, case.id) is case


async def test_the_onsite_check_opens_the_way_to_approval(uow: InMemoryReviewUnitOfWork) -> None:
    case = uow.cases.add(case_row(7, C.ONSITE_REQUIRED, onsite_triggers=TRIGGERS))
    with pytest.raises(OnsiteCheckMissing):
        await cases.decide_case(uow, ME, case.id, request(Decision.APPROVE), AT)
    await cases.record_onsite_check(uow, ME, case.id, "passed", "现场核实", AT)
    assert (case.status, case.onsite_result, case.onsite_recorded_by) == (
        "pending",
        "passed",
        "reviewer-1",
    )
    (audit,) = uow.audit.records
    assert (audit.action, audit.before, audit.after) == (
        "review_case.onsite_check",
        {"status": "onsite_required", "onsite_result": None},
        {"status": "pending", "onsite_result": "passed", "notes": "现场核实"},
    )
    assert uow.outbox.events == []  # intake learns the outcome from the decision only
    await cases.decide_case(uow, ME, case.id, request(Decision.APPROVE), LATER)
    steps = await uow.cases.history(case.id)
    assert [(s.action, s.status) for s in steps] == [
        ("onsite_passed", "pending"),
        ("decision_approve", "approved"),
    ]


async def test_an_onsite_check_nobody_asked_for_is_refused(uow: InMemoryReviewUnitOfWork) -> None:
    untriggered = uow.cases.add(case_row(8))
    decided = uow.cases.add(case_row(9, C.APPROVED, onsite_triggers=TRIGGERS))
    for case in (untriggered, decided):
        with pytest.raises(OnsiteNotRequired):
            await cases.record_onsite_check(uow, ME, case.id, "passed", None, AT)
    assert (untriggered.status, decided.status, decided.onsite_result) == (
        "pending",
        "approved",
        None,
    )
    assert uow.audit.records == []


def withdrawn(case: ReviewCaseRow) -> ApplicationWithdrawn:
    return ApplicationWithdrawn(
        application_id=str(case.application_id), year=case.year, uscc=case.uscc
    )


async def test_a_withdrawal_closes_the_case_and_frees_its_claims(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    leaving, staying = uow.cases.add(case_row(10, C.APPROVED)), uow.cases.add(case_row(11))
    phone = ("phone", "13900000010")
    await uow.claims.replace(leaving, ["ZL1"], [phone])
    await uow.claims.replace(staying, ["ZL1"], [phone])
    await uow.warnings.upsert_on_cases(
        [(staying.id, warning("duplicate_ip", "ZL1")), (staying.id, warning("other", "x"))], AT
    )
    event = withdrawn(leaving)
    await cases.on_application_withdrawn(uow, event, envelope(event, LATER), ShippedPolicies())

    assert (leaving.status, leaving.updated_at) == ("withdrawn", LATER)
    assert await uow.claims.of_case(leaving.id) == ([], [])
    # the IP is no longer claimed twice: the other case's warning about it is cleared
    rows = {w.code: w for w in await uow.warnings.of_case(staying.id)}
    assert (rows["duplicate_ip"].resolution, rows["duplicate_ip"].resolved_at) == (
        "cleared",
        LATER,
    )
    assert not rows["other"].resolved
    (audit,) = uow.audit.records
    assert (audit.action, audit.before, audit.after) == (
        "review_case.withdrawn",
        {"status": "approved"},
        {"status": "withdrawn"},
    )
    assert uow.outbox.events == []
    steps = await uow.cases.history(leaving.id)
    assert [(s.action, s.actor) for s in steps] == [("withdrawn", f"enterprise:{leaving.uscc}")]


@pytest.mark.parametrize("status", [C.REGISTERED, C.REJECTED, C.WITHDRAWN, C.CLOSED])
async def test_a_withdrawal_leaves_a_decided_case_alone(
    uow: InMemoryReviewUnitOfWork, status: CaseStatus
) -> None:
    case = uow.cases.add(case_row(12, status))
    await uow.claims.replace(case, ["ZL1"], [])
    event = withdrawn(case)
    await cases.on_application_withdrawn(uow, event, envelope(event, AT), ShippedPolicies())
    assert case.status == status.value
    assert await uow.claims.of_case(case.id) == (["ZL1"], [])
    assert uow.audit.records == []


async def test_a_withdrawal_of_an_unknown_application_does_nothing(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    event = withdrawn(case_row(13))  # never stored
    await cases.on_application_withdrawn(uow, event, envelope(event, AT), ShippedPolicies())
    assert (uow.audit.records, uow.outbox.events) == ([], [])
