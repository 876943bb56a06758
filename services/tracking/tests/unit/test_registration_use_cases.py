"""What registration events do to obligations (`service_layer.registrations`) against the
in-memory unit of work (milliseconds): the quarters owed and their due dates, nothing twice
on redelivery, a revocation before its registration, the cancelled quarters, the audit."""

from __future__ import annotations

from datetime import date

import pytest

from shared.kernel.codes.uscc import with_check_digit
from shared.kernel.events.envelope import CloudEvent
from shared.kernel.events.payloads.review import RegistrationIssued, RegistrationRevoked
from shared.platform.messaging.handler_registry import Received
from shared.platform.policies.in_memory import ShippedPolicies
from tracking.adapters.in_memory import InMemoryTrackingUnitOfWork
from tracking.service_layer.registrations import on_registration_revoked, on_registrations_issued

USCC = with_check_digit("91150105MA0000701")
NUMBER = "2026150105A0000701"


def issued(number: str = NUMBER, uscc: str = USCC, **changes: object) -> RegistrationIssued:
    values: dict[str, object] = {
        "number": number,
        "uscc": uscc,
        "year": 2026,
        "region_code": "150105",
        "agency": "150100",
        "enterprise_name": "测试企业",
        "industry_code": "I6513",
        "registered_on": date(2026, 5, 10),
        "valid_until": date(2026, 12, 31),
    }
    return RegistrationIssued(**{**values, **changes})  # type: ignore[arg-type]


def revoked(revoked_on: date) -> RegistrationRevoked:
    return RegistrationRevoked(
        number=NUMBER, uscc=USCC, year=2026, ground="fraud", revoked_on=revoked_on
    )


async def issue(uow: InMemoryTrackingUnitOfWork, *events: RegistrationIssued) -> None:
    run = [Received(e, CloudEvent.wrap(e, source="/sme/review")) for e in events]
    await on_registrations_issued(uow, run, ShippedPolicies())


async def revoke(uow: InMemoryTrackingUnitOfWork, event: RegistrationRevoked) -> None:
    await on_registration_revoked(uow, event, CloudEvent.wrap(event, source="/sme/review"))


def owed(uow: InMemoryTrackingUnitOfWork) -> list[tuple[int, int, date, str]]:
    return sorted((o.year, o.quarter, o.due_on, o.state) for o in uow.obligations.rows.values())


@pytest.fixture
def uow() -> InMemoryTrackingUnitOfWork:
    return InMemoryTrackingUnitOfWork()


async def test_a_registration_owes_each_quarter_ending_while_valid(
    uow: InMemoryTrackingUnitOfWork,
) -> None:
    await issue(uow, issued())
    # From the quarter of registration; due 15 days after each quarter (2026 policy).
    assert owed(uow) == [
        (2026, 2, date(2026, 7, 15), "due"),
        (2026, 3, date(2026, 10, 15), "due"),
        (2026, 4, date(2027, 1, 15), "due"),
    ]
    (record,) = uow.audit.records
    assert (record.action, record.entity, record.entity_id) == (
        "obligation.create",
        "registration",
        NUMBER,
    )
    assert record.after == {
        "uscc": USCC,
        "quarters": ["2026Q2 due 2026-07-15", "2026Q3 due 2026-10-15", "2026Q4 due 2027-01-15"],
    }
    assert uow.outbox.events == []


async def test_a_redelivered_registration_owes_nothing_twice(
    uow: InMemoryTrackingUnitOfWork,
) -> None:
    await issue(uow, issued())
    await issue(uow, issued(), issued())  # again, and twice in one run
    assert len(owed(uow)) == 3
    assert [r.after["quarters"] for r in uow.audit.records[1:]] == [[], []]


async def test_a_revocation_before_its_registration_keeps_only_the_quarters_before_it(
    uow: InMemoryTrackingUnitOfWork,
) -> None:
    await revoke(uow, revoked(date(2026, 10, 1)))  # a replay out of order
    assert owed(uow) == []
    await issue(uow, issued())
    assert [(y, q) for y, q, _, _ in owed(uow)] == [(2026, 2), (2026, 3)]
    assert uow.registrations.rows[NUMBER].revoked_on == date(2026, 10, 1)


async def test_a_revocation_cancels_the_quarters_that_end_after_it(
    uow: InMemoryTrackingUnitOfWork,
) -> None:
    await issue(uow, issued())
    await revoke(uow, revoked(date(2026, 11, 5)))  # Q4 does not end while valid
    assert [(y, q) for y, q, _, _ in owed(uow)] == [(2026, 2), (2026, 3)]
    record = uow.audit.records[-1]
    assert (record.action, record.entity_id) == ("obligation.cancel", NUMBER)
    assert record.before == {"obligations": [{"year": 2026, "quarter": 4, "state": "due"}]}
    assert record.after == {"revoked_on": date(2026, 11, 5), "ground": "fraud"}

    await revoke(uow, revoked(date(2026, 11, 5)))  # redelivered: nothing more to cancel
    assert uow.audit.records[-1].before == {"obligations": []}
    assert len(owed(uow)) == 2


async def test_a_quarter_already_owed_under_another_registration_is_left_alone(
    uow: InMemoryTrackingUnitOfWork,
) -> None:
    await issue(uow, issued())
    await issue(uow, issued("2026150105A0000702", registered_on=date(2026, 8, 1)))
    assert {o.registration_number for o in uow.obligations.rows.values()} == {NUMBER}
    assert uow.audit.records[-1].after == {"uscc": USCC, "quarters": []}
