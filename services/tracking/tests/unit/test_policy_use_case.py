"""A new policy version (`service_layer.policy.on_policy_updated`) against the in-memory
unit of work (milliseconds): the version kept, open due dates moved and audited, reported
quarters untouched, a late older version or a redelivery changing nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from shared.kernel.calendar.clock import FixedClock
from shared.kernel.events.envelope import CloudEvent
from shared.kernel.events.payloads.intake import PolicyUpdated
from shared.kernel.policy import shipped_policy
from shared.platform.policies.in_memory import ShippedPolicies
from tracking.adapters.in_memory import InMemoryTrackingUnitOfWork
from tracking.domain.obligation_state import ObligationState
from tracking.service_layer.policy import on_policy_updated

from .obligations_contract import obligation

NOW = datetime(2026, 10, 1, 2, 0, tzinfo=UTC)


def policy_2026(version: int, **tracking: Any) -> PolicyUpdated:
    document = shipped_policy(2026).to_document()
    document["version"] = version
    document["tracking"].update(tracking)
    return PolicyUpdated(year=2026, version=version, policy=document)


async def deliver(
    uow: InMemoryTrackingUnitOfWork, event: PolicyUpdated, policies: ShippedPolicies
) -> None:
    envelope = CloudEvent.wrap(event, source="/sme/intake")
    await on_policy_updated(uow, event, envelope, policies, FixedClock(NOW))


async def test_a_new_deadline_moves_the_open_due_dates_only() -> None:
    uow, policies = InMemoryTrackingUnitOfWork(), ShippedPolicies()
    open_ = uow.obligations.add(obligation())  # Q3 2026, due 2026-10-20 in these rows
    reported = uow.obligations.add(obligation(ObligationState.SUBMITTED))

    await deliver(uow, policy_2026(2, due_days_after_quarter_end=25), policies)

    assert (open_.due_on, open_.due_on_provisional, open_.updated_at) == (
        date(2026, 10, 25),
        False,
        NOW,
    )
    assert reported.due_on == date(2026, 10, 20)
    received, rescheduled = uow.audit.records
    assert (received.action, received.entity_id) == ("policy.received", "2026/v2")
    assert (rescheduled.action, rescheduled.entity_id) == ("obligation.reschedule", "2026/v2")
    assert rescheduled.after == {
        "obligations": 1,
        "due_dates": {"2026Q3 (policy 2026)": "2026-10-25"},
    }
    assert await uow.policy_versions.newest_version(2026) == 2
    # The store serves the version only once the transaction has committed.
    assert policies.cached(2026).version == 1
    for callback in uow.committed:
        callback()
    assert policies.cached(2026).version == 2


async def test_a_redelivered_version_moves_nothing_more() -> None:
    uow, policies = InMemoryTrackingUnitOfWork(), ShippedPolicies()
    uow.obligations.add(obligation())
    await deliver(uow, policy_2026(2, due_days_after_quarter_end=25), policies)
    await deliver(uow, policy_2026(2, due_days_after_quarter_end=25), policies)
    assert [r.action for r in uow.audit.records] == [
        "policy.received",
        "obligation.reschedule",
        "policy.received",
    ]


async def test_an_older_version_arriving_late_changes_no_date() -> None:
    uow, policies = InMemoryTrackingUnitOfWork(), ShippedPolicies()
    open_ = uow.obligations.add(obligation())
    await deliver(uow, policy_2026(3, due_days_after_quarter_end=25), policies)
    await deliver(uow, policy_2026(2, due_days_after_quarter_end=20), policies)
    assert open_.due_on == date(2026, 10, 25)
    assert await uow.policy_versions.newest_version(2026) == 3
    assert [r.action for r in uow.audit.records][-1] == "policy.received"  # kept, no move
