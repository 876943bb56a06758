"""Filing and handling a case (file_case, decide_acceptance, conclude) against the in-memory
unit of work: the use cases' rules, moves, jurisdiction, events and audit records without a
database (milliseconds). The HTTP side (the public answer, 429, the tokens) is in tests/api."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from shared.kernel.codes.uscc import with_check_digit
from shared.kernel.events.payloads.supervision import (
    CaseAccepted,
    CaseConcluded,
    CaseFiled,
    CreditRecorded,
)
from shared.platform.auth.principal import Principal, Role
from shared.platform.policies.in_memory import ShippedPolicies
from supervision.adapters.in_memory import InMemorySupervisionUnitOfWork
from supervision.adapters.tables import CaseRow, PublicityBatchRow, PublicityEntryRow
from supervision.domain.cases import CaseKind, Finding
from supervision.domain.errors import (
    CaseNotFound,
    CaseStateConflict,
    FilingRefused,
    ObjectionRefused,
    ObjectionWindowClosed,
)
from supervision.domain.identity import Evidence, EvidenceKind, Filer, FilerType
from supervision.service_layer import filing, handling

# Thursday 2026-11-26, 10:00 in Beijing.
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
DAY = timedelta(hours=24)
HOHHOT, BAOTOU = "150100", "150200"
ON_BATCH = with_check_digit("91150105MA0000001")  # registered in Hohhot
ELSEWHERE = with_check_digit("91150105MA0000002")
BATCH = "batch-2026-01"
HOHHOT_STAFF = Principal(sub="a1", role=Role.AGENCY, org=HOHHOT)
BAOTOU_STAFF = Principal(sub="a2", role=Role.AGENCY, org=BAOTOU)
PROVINCE = Principal(sub="p1", role=Role.PROVINCE, org="150000")


@pytest.fixture
def uow() -> InMemorySupervisionUnitOfWork:
    uow = InMemorySupervisionUnitOfWork()
    batch = PublicityBatchRow(
        id=BATCH, year=2026, starts_on=date(2026, 11, 20), ends_on=date(2026, 12, 4)
    )
    entry = PublicityEntryRow(
        batch_id=BATCH,
        uscc=ON_BATCH,
        name="内蒙古示例科技",
        agency=HOHHOT,
        starts_on=batch.starts_on,
    )
    uow.registry.publish(batch, entry)
    return uow


def objection(**changes: Any) -> filing.FileCase:
    command = filing.FileCase(
        kind=CaseKind.OBJECTION,
        subject_uscc=ON_BATCH,
        batch_id=BATCH,
        grounds="研发费用虚报",
        facts="研发人员实际不足10人。",
        evidence=(Evidence(EvidenceKind.DOCUMENT, "工资表复印件", "f-1"),),
        filer=Filer(FilerType.PERSON, "王小明", "13912345678"),
    )
    return replace(command, **changes)


def complaint(**changes: Any) -> filing.FileCase:
    command = filing.FileCase(
        kind=CaseKind.COMPLAINT,
        subject_uscc=ELSEWHERE,
        batch_id=None,
        grounds="拖欠货款",
        facts="多次催要无果",
        evidence=(),
        filer=None,
    )
    return replace(command, **changes)


async def file(
    uow: InMemorySupervisionUnitOfWork, command: filing.FileCase, *, now: datetime = NOW
) -> filing.Filed:
    return await filing.file_case(
        uow,
        command,
        client_key="203.0.113.7",
        now=now,
        policies=ShippedPolicies(),
        duplicate_window=DAY,
    )


async def accepted(uow: InMemorySupervisionUnitOfWork) -> CaseRow:
    case = (await file(uow, objection())).case
    return await handling.decide_acceptance(
        uow, HOHHOT_STAFF, case.id, accepted=True, reason=None, now=NOW, policies=ShippedPolicies()
    )


# -- filing ------------------------------------------------------------------------------


async def test_an_objection_is_received_for_the_batch_agency_with_its_deadline(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    filed = await file(uow, objection())
    case = filed.case
    assert filed.created
    assert await uow.cases.get(case.id) is case
    assert (case.status, case.agency, case.year) == ("received", HOHHOT, 2026)
    assert (case.subject_name, case.filer_name, case.filer_phone) == (
        "内蒙古示例科技",
        "王小明",
        "13912345678",
    )
    # 5 working days after Thursday 2026-11-26: Fri, Mon, Tue, Wed, Thu.
    assert case.accept_due_on == case.due_on == date(2026, 12, 3)
    assert [(s.step, s.actor_role) for s in await uow.cases.steps(case.id)] == [
        ("received", "public")
    ]
    (event,) = uow.outbox.events
    assert isinstance(event, CaseFiled)
    assert (event.case_id, event.uscc, event.batch_id, event.agency, event.filed_on) == (
        str(case.id),
        ON_BATCH,
        BATCH,
        HOHHOT,
        date(2026, 11, 26),
    )
    # No filer data leaves in the event or the audit record.
    assert "王小明" not in event.model_dump_json()
    (audit,) = uow.audit.records
    assert (audit.action, audit.entity_id) == ("case.file", str(case.id))
    assert "王小明" not in repr(audit.after)


async def test_a_complaint_without_a_batch_goes_to_the_registering_region(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    case = (await file(uow, complaint())).case
    assert (case.kind, case.batch_id, case.agency, case.filer_type) == (
        "complaint",
        None,
        HOHHOT,
        "anonymous",
    )
    assert len(uow.outbox.events) == 1


async def test_the_same_filing_within_the_window_returns_the_first_case(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    first = await file(uow, complaint())
    again = await file(uow, complaint(), now=NOW + timedelta(hours=23))
    assert (again.created, again.case.id) == (False, first.case.id)
    other_text = await file(uow, complaint(facts="另一件事"), now=NOW + timedelta(hours=1))
    assert other_text.created
    after_the_window = await file(uow, complaint(), now=NOW + timedelta(hours=25))
    assert after_the_window.created
    assert len(uow.cases.rows) == 3
    assert len(uow.outbox.events) == len(uow.audit.records) == 3


@pytest.mark.parametrize(
    ("command", "refusal", "code"),
    [
        (objection(batch_id=None), ObjectionRefused, "batch_required"),
        (objection(batch_id="no-such-batch"), FilingRefused, "batch_unknown"),
        (objection(subject_uscc=ELSEWHERE), FilingRefused, "subject_not_in_batch"),
        (objection(filer=None), ObjectionRefused, "objection_anonymous"),
    ],
)
async def test_a_refused_filing_writes_nothing(
    uow: InMemorySupervisionUnitOfWork,
    command: filing.FileCase,
    refusal: type[Exception],
    code: str,
) -> None:
    with pytest.raises(refusal) as refused:
        await file(uow, command)
    assert code in repr(getattr(refused.value, "details", None))
    assert (uow.cases.rows, uow.outbox.events, uow.audit.records) == ({}, [], [])


async def test_a_late_objection_is_refused(uow: InMemorySupervisionUnitOfWork) -> None:
    with pytest.raises(ObjectionWindowClosed):
        await file(uow, objection(), now=datetime(2026, 12, 5, 2, 0, tzinfo=UTC))
    assert uow.cases.rows == {}


# -- acceptance --------------------------------------------------------------------------


async def test_acceptance_starts_the_conclusion_deadline(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    case = await accepted(uow)
    assert (case.status, case.accepted_on) == ("accepted", date(2026, 11, 26))
    assert case.conclude_due_on == case.due_on == date(2027, 1, 7)
    steps = await uow.cases.steps(case.id)
    assert [(s.step, s.actor_org) for s in steps] == [("received", None), ("accepted", HOHHOT)]
    event = uow.outbox.events[-1]
    assert isinstance(event, CaseAccepted)
    assert (event.case_id, event.accepted, event.agency) == (str(case.id), True, HOHHOT)
    audit = uow.audit.records[-1]
    assert (audit.action, audit.before, audit.after["status"]) == (
        "case.accept",
        {"status": "received"},
        "accepted",
    )


async def test_not_accepting_closes_the_case_with_its_reason(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    case = (await file(uow, objection())).case
    await handling.decide_acceptance(
        uow,
        PROVINCE,
        case.id,
        accepted=False,
        reason="不属于受理范围",
        now=NOW,
        policies=ShippedPolicies(),
    )
    assert (case.status, case.not_accepted_reason, case.due_on) == (
        "not_accepted",
        "不属于受理范围",
        None,
    )
    assert (await uow.cases.steps(case.id))[-1].note == "不属于受理范围"
    event = uow.outbox.events[-1]
    assert isinstance(event, CaseAccepted)
    assert event.accepted is False
    assert uow.audit.records[-1].action == "case.not_accept"


async def test_another_agencys_case_is_not_found_and_unchanged(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    case = (await file(uow, objection())).case
    for case_id in (case.id, uuid.uuid4()):
        with pytest.raises(CaseNotFound):
            await handling.decide_acceptance(
                uow,
                BAOTOU_STAFF,
                case_id,
                accepted=True,
                reason=None,
                now=NOW,
                policies=ShippedPolicies(),
            )
        with pytest.raises(CaseNotFound):
            await handling.conclude(
                uow, BAOTOU_STAFF, case_id, finding=Finding.SUBSTANTIATED, measures=None, now=NOW
            )
    assert case.status == "received"
    assert len(uow.outbox.events) == len(await uow.cases.steps(case.id)) == 1


async def test_a_decided_case_cannot_be_decided_again(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    case = await accepted(uow)
    events = len(uow.outbox.events)
    with pytest.raises(CaseStateConflict):
        await handling.decide_acceptance(
            uow,
            HOHHOT_STAFF,
            case.id,
            accepted=False,
            reason="重复",
            now=NOW,
            policies=ShippedPolicies(),
        )
    assert (case.status, case.not_accepted_reason) == ("accepted", None)
    assert len(uow.outbox.events) == events
    assert len(await uow.cases.steps(case.id)) == 2


# -- conclusion --------------------------------------------------------------------------


async def test_a_received_case_cannot_be_concluded(uow: InMemorySupervisionUnitOfWork) -> None:
    case = (await file(uow, objection())).case
    with pytest.raises(CaseStateConflict):
        await handling.conclude(
            uow, HOHHOT_STAFF, case.id, finding=Finding.SUBSTANTIATED, measures=None, now=NOW
        )
    assert (case.status, case.finding) == ("received", None)
    assert uow.credit.rows == []


async def test_a_substantiated_case_is_concluded_and_enters_the_credit_archive(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    case = await accepted(uow)
    later = NOW + 3 * DAY
    await handling.conclude(
        uow, HOHHOT_STAFF, case.id, finding=Finding.SUBSTANTIATED, measures="责令整改", now=later
    )
    assert (case.status, case.finding, case.measures, case.due_on) == (
        "concluded",
        "substantiated",
        "责令整改",
        None,
    )
    assert case.concluded_on == date(2026, 11, 29)
    assert (await uow.cases.steps(case.id))[-1].note == "substantiated: 责令整改"
    concluded, recorded = uow.outbox.events[-2:]
    assert isinstance(concluded, CaseConcluded)
    assert (concluded.finding, concluded.concluded_on) == ("substantiated", date(2026, 11, 29))
    assert isinstance(recorded, CreditRecorded)
    (entry,) = uow.credit.rows
    assert (entry.uscc, entry.kind, entry.reference, entry.starts_on) == (
        ON_BATCH,
        "substantiated_case",
        f"case:{case.id}",
        date(2026, 11, 29),
    )
    assert recorded.entry_id == str(entry.id)
    assert [r.action for r in uow.audit.records[-2:]] == ["credit.record", "case.conclude"]


async def test_an_unsubstantiated_case_leaves_no_credit_entry(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    case = await accepted(uow)
    await handling.conclude(
        uow, PROVINCE, case.id, finding=Finding.UNSUBSTANTIATED, measures=None, now=NOW
    )
    assert (case.status, case.finding) == ("concluded", "unsubstantiated")
    assert isinstance(uow.outbox.events[-1], CaseConcluded)
    assert uow.credit.rows == []
    with pytest.raises(CaseStateConflict):
        await handling.conclude(
            uow, PROVINCE, case.id, finding=Finding.SUBSTANTIATED, measures=None, now=NOW
        )
    assert uow.credit.rows == []
