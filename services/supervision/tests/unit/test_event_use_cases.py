"""Supervision's event handlers (`service_layer.views`: the local registry and publicity
batches; `service_layer.inbound`: other agencies' credit facts) against the in-memory unit of
work (milliseconds): what each event writes, that a redelivery or an out-of-order event
changes nothing it should not, the proposals and audit records they lead to."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from shared.kernel.codes.uscc import with_check_digit
from shared.kernel.events.envelope import CloudEvent, EventPayload
from shared.kernel.events.payloads.external import MarketListingAdded, MarketListingRemoved
from shared.kernel.events.payloads.review import (
    PublicityEntry,
    PublicityStarted,
    RegistrationChanged,
    RegistrationIssued,
    RegistrationRevoked,
    SpotCheckFailed,
)
from shared.platform.messaging.handler_registry import Received
from shared.platform.policies.in_memory import ShippedPolicies
from supervision.adapters.in_memory import InMemorySupervisionUnitOfWork
from supervision.service_layer import inbound, views

USCC = with_check_digit("91150105MA0000031")
OTHER = with_check_digit("91150105MA0000032")
NUMBER = "2026150105A0000031"
AT = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def envelope(payload: EventPayload) -> CloudEvent:
    return CloudEvent.wrap(payload, source="/sme/review", time=AT)


def issued(number: str = NUMBER, uscc: str = USCC, name: str = "示例科技") -> RegistrationIssued:
    return RegistrationIssued(
        number=number,
        uscc=uscc,
        year=2026,
        region_code="150105",
        agency="150100",
        enterprise_name=name,
        registered_on=date(2026, 5, 10),
        valid_until=date(2029, 12, 31),
    )


def revoked() -> RegistrationRevoked:
    return RegistrationRevoked(
        number=NUMBER, uscc=USCC, year=2026, ground="serious_fraud", revoked_on=date(2026, 11, 1)
    )


def listed(starts_on: date = date(2026, 3, 1)) -> MarketListingAdded:
    return MarketListingAdded(uscc=USCC, list="abnormal_operation", starts_on=starts_on)


async def issue(uow: InMemorySupervisionUnitOfWork, *events: RegistrationIssued) -> None:
    run = [Received(e, envelope(e)) for e in events]
    await views.on_registrations_issued(uow, run, ShippedPolicies())


@pytest.fixture
def uow() -> InMemorySupervisionUnitOfWork:
    return InMemorySupervisionUnitOfWork()


async def test_issued_registrations_enter_the_local_registry(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    # The same number twice in a run: the later event's facts win.
    await issue(uow, issued(), issued("2026150105A0000032", OTHER), issued(name="新名"))
    mine = uow.registry.registrations[NUMBER]
    assert (mine.status, mine.enterprise_name, mine.agency) == ("valid", "新名", "150100")
    assert set(uow.registry.registrations) == {NUMBER, "2026150105A0000032"}
    assert list(uow.revocations.rows.values()) == []  # no listing: no joint punishment


async def test_a_listed_enterprise_issued_a_registration_is_proposed_for_revocation(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    await inbound.on_listing_added(uow, listed(), envelope(listed()), ShippedPolicies())
    assert len(uow.credit.rows) == 1
    await issue(uow, issued())
    (proposal,) = uow.revocations.rows.values()
    assert (proposal.number, proposal.ground, proposal.origin, proposal.status) == (
        NUMBER,
        "credit_listing",
        "joint_punishment",
        "proposed",
    )
    await issue(uow, issued())  # redelivered: the same evidence is not proposed twice
    (again,) = uow.revocations.rows.values()
    assert len(again.evidence) == 1


async def test_a_revocation_before_its_registration_is_kept(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    await views.on_registration_revoked(uow, revoked(), envelope(revoked()))
    await inbound.on_listing_added(uow, listed(), envelope(listed()), ShippedPolicies())
    await issue(uow, issued())  # arrives late: facts filled in, still revoked
    reg = uow.registry.registrations[NUMBER]
    assert (reg.status, reg.revoked_on, reg.enterprise_name) == (
        "revoked",
        date(2026, 11, 1),
        "示例科技",
    )
    assert list(uow.revocations.rows.values()) == []  # nothing proposed for a revoked number
    (record,) = [r for r in uow.audit.records if r.action == "registry.revoked"]
    assert (record.entity_id, record.after) == (NUMBER, {"revoked_on": date(2026, 11, 1)})


async def test_a_revocation_marks_the_decided_proposal_applied(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    await issue(uow, issued())
    failed = SpotCheckFailed(
        spot_check_id="sc-1", number=NUMBER, uscc=USCC, year=2026, agency="150100"
    )
    await views.on_spot_check_failed(uow, failed, envelope(failed))
    await views.on_spot_check_failed(uow, failed, envelope(failed))  # redelivered
    (proposal,) = uow.revocations.rows.values()
    assert (proposal.ground, proposal.origin, len(proposal.evidence)) == (
        "failed_spot_check",
        "spot_check",
        1,
    )
    proposal.status = "revoked"  # the province decided (its own use case)
    await views.on_registration_revoked(uow, revoked(), envelope(revoked()))
    assert proposal.applied_on == date(2026, 11, 1)
    assert uow.registry.registrations[NUMBER].status == "revoked"


async def test_a_publicity_batch_is_kept_with_each_enterprise_once(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    entry = PublicityEntry(uscc=USCC, name="示例科技", agency="150100")
    started = PublicityStarted(
        batch_id="b-1",
        year=2026,
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 11, 15),
        entries=[entry, entry.model_copy(update={"agency": "150200"})],
    )
    await views.on_publicity_started(uow, started, envelope(started))
    await views.on_publicity_started(uow, started, envelope(started))  # redelivered
    batch, found = await uow.registry.batch_entry("b-1", USCC)
    assert batch is not None
    assert found is not None
    assert (batch.ends_on, found.agency, len(uow.registry.entries)) == (
        date(2026, 11, 15),
        "150200",
        1,
    )


async def test_a_name_change_follows_and_a_size_change_opens_a_proposal(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    await issue(uow, issued())

    def change(kind: str, new_value: str) -> RegistrationChanged:
        return RegistrationChanged(
            change_id=f"c-{kind}",
            number=NUMBER,
            uscc=USCC,
            year=2026,
            agency="150100",
            kind=kind,  # type: ignore[arg-type]
            new_value=new_value,
            effective_on=date(2026, 10, 1),
            reported_on=date(2026, 10, 20),
            late=False,
        )

    named = change("name", "更名科技")
    await views.on_registration_changed(uow, named, envelope(named))
    assert uow.registry.registrations[NUMBER].enterprise_name == "更名科技"
    assert list(uow.revocations.rows.values()) == []
    size = change("size", "large")
    await views.on_registration_changed(uow, size, envelope(size))
    (proposal,) = uow.revocations.rows.values()
    assert (proposal.ground, proposal.origin) == ("no_longer_eligible", "change_report")


async def test_a_listing_is_archived_once_and_its_removal_closes_it(
    uow: InMemorySupervisionUnitOfWork,
) -> None:
    policies = ShippedPolicies()
    await inbound.on_listing_added(uow, listed(), envelope(listed()), policies)
    await inbound.on_listing_added(uow, listed(), envelope(listed()), policies)  # redelivered
    (entry,) = uow.credit.rows
    assert (entry.kind, entry.starts_on, entry.ends_on) == (
        "abnormal_operation",
        date(2026, 3, 1),
        None,
    )
    removed = MarketListingRemoved(
        uscc=USCC, list="abnormal_operation", starts_on=date(2026, 3, 1), ends_on=date(2026, 9, 1)
    )
    await inbound.on_listing_removed(uow, removed, envelope(removed), policies)
    assert (len(uow.credit.rows), entry.ends_on) == (1, date(2026, 9, 1))
