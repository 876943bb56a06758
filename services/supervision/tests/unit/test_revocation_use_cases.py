"""Revocation of a registration number against the in-memory unit of work: proposals, the
notice and statement procedure, the province's decision, proposals from events and joint
punishment — rules, moves, jurisdiction, events and audit records without a database."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from shared.kernel.codes.uscc import with_check_digit
from shared.kernel.errors import InvalidInput
from shared.kernel.events.payloads.supervision import (
    CreditRecorded,
    RevocationDecided,
    RevocationNotified,
)
from shared.platform.auth.principal import Principal, Role
from shared.platform.policies.in_memory import ShippedPolicies
from supervision.adapters.in_memory import InMemorySupervisionUnitOfWork
from supervision.adapters.tables import CreditEntryRow, RegistrationRow, RevocationRow
from supervision.domain.errors import (
    RevocationConflict,
    RevocationNotFound,
    UnknownRegistration,
)
from supervision.domain.revocation import RevocationOrigin
from supervision.service_layer import joint_punishment, revocations

TODAY = date(2026, 11, 26)  # a Thursday
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
# 10 working days after Thursday 2026-11-26.
DUE = date(2026, 12, 10)
USCC = with_check_digit("91150105MA0000011")
NUMBER = "2026150105A0000011"
HOHHOT, BAOTOU = "150100", "150200"
HOHHOT_STAFF = Principal(sub="a1", role=Role.AGENCY, org=HOHHOT)
BAOTOU_STAFF = Principal(sub="a2", role=Role.AGENCY, org=BAOTOU)
PROVINCE = Principal(sub="p1", role=Role.PROVINCE, org="150000")
ENTERPRISE = Principal(sub="e1", role=Role.ENTERPRISE, uscc=USCC)
SOMEONE_ELSE = Principal(sub="e2", role=Role.ENTERPRISE, uscc=with_check_digit("91150105MA0000012"))
SPOT_CHECK: dict[str, Any] = {"type": "spot_check", "spot_check_id": "sc-1", "notes": None}


@pytest.fixture
def uow() -> InMemorySupervisionUnitOfWork:
    uow = InMemorySupervisionUnitOfWork()
    uow.registry.register(
        RegistrationRow(
            number=NUMBER,
            uscc=USCC,
            year=2026,
            region_code="150105",
            agency=HOHHOT,
            enterprise_name="示例科技",
            status="valid",
            valid_until=date(2027, 12, 31),
        )
    )
    return uow


async def notice(today: date = TODAY) -> revocations.Notice:
    return revocations.Notice(
        today=today, statement_working_days=10, calendar=await ShippedPolicies().calendar()
    )


async def propose(
    uow: InMemorySupervisionUnitOfWork, ground: str = "serious_fraud", by: Principal = HOHHOT_STAFF
) -> RevocationRow:
    return await revocations.propose(
        uow, by, number=NUMBER, ground=ground, basis="申报材料弄虚作假"
    )


async def start(
    uow: InMemorySupervisionUnitOfWork, ground: str = "serious_fraud", *, skip: bool = False
) -> RevocationRow:
    return await revocations.start(
        uow,
        PROVINCE,
        number=NUMBER,
        ground=ground,
        basis="经核查弄虚作假",
        skip_statement=skip,
        notice=await notice(),
    )


async def from_spot_check(
    uow: InMemorySupervisionUnitOfWork, evidence: dict[str, Any] = SPOT_CHECK
) -> RevocationRow | None:
    return await revocations.open_proposal(
        uow,
        number=NUMBER,
        uscc=USCC,
        year=2026,
        agency=HOHHOT,
        ground="failed_spot_check",
        basis="集中抽查未通过",
        evidence=evidence,
        origin=RevocationOrigin.SPOT_CHECK,
    )


# -- proposals ---------------------------------------------------------------------------


async def test_an_agency_proposes_for_its_jurisdiction_only(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    row = await propose(uow)
    assert (row.status, row.origin, row.agency, row.proposed_by) == (
        "proposed",
        "agency",
        HOHHOT,
        HOHHOT,
    )
    assert await uow.revocations.get(row.id) is row
    assert [r.action for r in uow.audit.records] == ["revocation.propose"]
    assert uow.outbox.events == []  # a proposal is internal
    with pytest.raises(RevocationConflict):
        await propose(uow)  # the same ground again
    with pytest.raises(UnknownRegistration):
        await propose(uow, "failed_spot_check", by=BAOTOU_STAFF)  # another agency's number
    with pytest.raises(UnknownRegistration):
        await revocations.propose(
            uow, HOHHOT_STAFF, number="2026150105A9999999", ground="serious_fraud", basis="-"
        )
    assert len(uow.revocations.rows) == 1


async def test_the_province_takes_up_the_proposal_and_notifies_the_enterprise(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    proposed = await propose(uow)
    row = await start(uow)
    assert row is proposed  # the open proposal on the same ground, its evidence kept
    assert (row.status, row.notified_on, row.statement_due_on, row.basis) == (
        "notified",
        TODAY,
        DUE,
        "经核查弄虚作假",
    )
    assert row.evidence == [{"type": "agency_proposal", "org": HOHHOT}]
    (event,) = uow.outbox.events
    assert isinstance(event, RevocationNotified)
    assert (event.number, event.statement_due_on, event.agency) == (NUMBER, DUE, HOHHOT)
    assert uow.audit.records[-1].action == "revocation.notify"
    with pytest.raises(RevocationConflict):
        await start(uow, "failed_spot_check")  # a procedure is under way for the number
    assert len(uow.outbox.events) == 1


async def test_a_ground_another_authority_decided_is_revoked_at_once(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    other = await propose(uow)
    row = await start(uow, "credit_listing", skip=True)
    assert (row.status, row.decided_on, row.skip_statement) == ("revoked", TODAY, True)
    assert (other.status, other.superseded_by) == ("superseded", row.id)
    decided, recorded = uow.outbox.events
    assert isinstance(decided, RevocationDecided)
    assert (decided.revocation_id, decided.ground, decided.decided_on) == (
        str(row.id),
        "credit_listing",
        TODAY,
    )
    assert isinstance(recorded, CreditRecorded)
    (entry,) = uow.credit.rows
    assert (entry.kind, entry.reference, entry.detail) == (
        "revocation",
        f"revocation:{row.id}",
        "credit_listing",
    )
    assert [r.action for r in uow.audit.records][-2:] == ["credit.record", "revocation.decide"]
    with pytest.raises(RevocationConflict):
        await propose(uow, "failed_spot_check")  # the number is revoked


async def test_only_grounds_decided_elsewhere_may_skip_the_statement(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    with pytest.raises(InvalidInput):
        await start(uow, "serious_fraud", skip=True)
    assert (uow.revocations.rows, uow.outbox.events, uow.audit.records) == ({}, [], [])


# -- statement and decision --------------------------------------------------------------


async def test_the_enterprise_states_its_case_once_until_the_due_date(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    row = await start(uow)
    with pytest.raises(RevocationNotFound):
        await revocations.state(uow, SOMEONE_ELSE, row.id, text="不是我们", today=TODAY, now=NOW)
    await revocations.state(uow, ENTERPRISE, row.id, text="材料属实", today=DUE, now=NOW)
    assert (row.status, row.statement, row.stated_at) == ("stated", "材料属实", NOW)
    assert uow.audit.records[-1].action == "revocation.statement"
    with pytest.raises(RevocationConflict):
        await revocations.state(uow, ENTERPRISE, row.id, text="再说一次", today=DUE, now=NOW)
    assert row.statement == "材料属实"


async def test_a_statement_after_the_due_date_is_refused(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    row = await start(uow)
    late = DUE + timedelta(days=1)
    with pytest.raises(RevocationConflict):
        await revocations.state(uow, ENTERPRISE, row.id, text="迟到", today=late, now=NOW)
    assert row.status == "notified"


async def test_the_province_decides_only_after_the_statement_or_its_due_date(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    row = await start(uow)
    with pytest.raises(RevocationConflict):
        await revocations.decide(uow, PROVINCE, row.id, decision="revoke", reason="属实", today=DUE)
    assert row.status == "notified"
    await revocations.decide(
        uow, PROVINCE, row.id, decision="revoke", reason="属实", today=DUE + timedelta(days=1)
    )
    assert (row.status, row.decision_reason) == ("revoked", "属实")
    assert isinstance(uow.outbox.events[-2], RevocationDecided)
    assert isinstance(uow.outbox.events[-1], CreditRecorded)
    with pytest.raises(RevocationNotFound):
        await revocations.decide(
            uow, PROVINCE, uuid.uuid4(), decision="revoke", reason="-", today=DUE
        )


async def test_a_dismissal_after_the_statement_emits_nothing(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    row = await start(uow)
    await revocations.state(uow, ENTERPRISE, row.id, text="已整改", today=TODAY, now=NOW)
    events = len(uow.outbox.events)
    await revocations.decide(
        uow, PROVINCE, row.id, decision="dismiss", reason="理由成立", today=TODAY
    )
    assert (row.status, row.dismissed_reason) == ("dismissed", "理由成立")
    assert len(uow.outbox.events) == events
    assert uow.credit.rows == []
    assert uow.audit.records[-1].action == "revocation.dismiss"


async def test_a_proposal_not_taken_up_is_dismissed_once(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    row = await propose(uow)
    await revocations.dismiss(uow, PROVINCE, row.id, reason="证据不足")
    assert (row.status, row.dismissed_reason) == ("dismissed", "证据不足")
    with pytest.raises(RevocationConflict):
        await revocations.dismiss(uow, PROVINCE, row.id, reason="再次")
    with pytest.raises(RevocationConflict):
        await revocations.take_up(
            uow, PROVINCE, row.id, basis=None, skip_statement=False, notice=await notice()
        )
    assert row.dismissed_reason == "证据不足"


async def test_the_province_takes_up_a_spot_check_proposal(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    row = await from_spot_check(uow)
    assert row is not None
    await revocations.take_up(
        uow, PROVINCE, row.id, basis="抽查不合格", skip_statement=False, notice=await notice()
    )
    assert (row.status, row.basis, row.statement_due_on) == ("notified", "抽查不合格", DUE)
    with pytest.raises(RevocationNotFound):
        await revocations.take_up(
            uow, PROVINCE, uuid.uuid4(), basis=None, skip_statement=False, notice=await notice()
        )


# -- proposals from events ---------------------------------------------------------------


async def test_a_proposal_from_events_gathers_evidence_once(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    row = await from_spot_check(uow)
    assert row is not None
    assert (row.origin, row.proposed_by, row.evidence) == ("spot_check", "system", [SPOT_CHECK])
    assert await from_spot_check(uow) is row  # the same event again
    assert row.evidence == [SPOT_CHECK]
    more = {**SPOT_CHECK, "spot_check_id": "sc-2"}
    assert await from_spot_check(uow, more) is row
    assert row.evidence == [SPOT_CHECK, more]
    assert [r.action for r in uow.audit.records] == ["revocation.propose", "revocation.evidence"]


async def test_dismissed_evidence_and_a_revoked_number_open_nothing(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    row = await from_spot_check(uow)
    assert row is not None
    await revocations.dismiss(uow, PROVINCE, row.id, reason="复核合格")
    assert await from_spot_check(uow) is None  # the province has weighed this evidence
    await start(uow, "credit_listing", skip=True)
    assert await from_spot_check(uow, {**SPOT_CHECK, "spot_check_id": "sc-3"}) is None
    assert len(uow.revocations.rows) == 2


async def test_review_applying_a_decision_marks_it_applied(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    row = await start(uow, "credit_listing", skip=True)
    await revocations.mark_applied(uow, NUMBER, date(2026, 11, 27))
    await revocations.mark_applied(uow, NUMBER, date(2026, 12, 1))  # a redelivery
    assert row.applied_on == date(2026, 11, 27)


async def test_a_listing_of_a_registered_enterprise_opens_joint_punishment(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    entry = CreditEntryRow(
        id=uuid.uuid4(),
        uscc=USCC,
        kind="serious_dishonesty",
        source="market_supervision",
        reference="serious_dishonesty:2026-06-01",
        starts_on=date(2026, 6, 1),
    )
    await joint_punishment.after_credit_entry(uow, entry, TODAY, ShippedPolicies())
    (row,) = uow.revocations.rows.values()
    assert (row.number, row.ground, row.origin, row.status) == (
        NUMBER,
        "credit_listing",
        "joint_punishment",
        "proposed",
    )
    assert row.evidence[0]["entry_id"] == str(entry.id)
    # A tax violation is archived but starts no joint punishment.
    entry.kind, entry.id = "major_tax_violation", uuid.uuid4()
    await joint_punishment.after_credit_entry(uow, entry, TODAY, ShippedPolicies())
    assert len(uow.revocations.rows) == 1
