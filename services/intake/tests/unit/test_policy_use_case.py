"""Replacing a year's policy (`service_layer.policies.replace_policy`) against the in-memory
unit of work (milliseconds): the next version kept, published and audited; a stale or
mismatched document refused with nothing kept; the store serving it only once committed."""

from __future__ import annotations

from typing import Any

import pytest

from intake.adapters.in_memory import InMemoryIntakeUnitOfWork
from intake.domain.errors import PolicyVersionConflict, PolicyYearMismatch
from intake.service_layer.policies import replace_policy
from shared.kernel.errors import InvalidInput
from shared.kernel.events.payloads.intake import PolicyUpdated
from shared.kernel.policy import shipped_policy
from shared.platform.policies.in_memory import ShippedPolicies

SHIPPED = shipped_policy(2026).to_document()  # version 1


def edited(version: int, days: int) -> dict[str, Any]:
    document = {**SHIPPED, "version": version}
    document["tracking"] = {**SHIPPED["tracking"], "due_days_after_quarter_end": days}
    return document


@pytest.fixture
def uow() -> InMemoryIntakeUnitOfWork:
    return InMemoryIntakeUnitOfWork()


async def test_a_save_becomes_the_next_version_published_and_audited(
    uow: InMemoryIntakeUnitOfWork,
) -> None:
    store = ShippedPolicies()
    policy = await replace_policy(uow, store, 2026, edited(1, 20), "p1")

    assert (policy.version, policy.tracking.due_days_after_quarter_end) == (2, 20)
    kept = await uow.policy_versions.stored_document(2026, 2)
    assert kept == policy.to_document()
    (event,) = uow.outbox.events
    assert isinstance(event, PolicyUpdated)
    assert (event.year, event.version, event.policy) == (2026, 2, policy.to_document())
    (record,) = uow.audit.records
    assert (record.action, record.entity_id) == ("policy.update", "2026")
    assert (record.before, record.after) == (SHIPPED, policy.to_document())
    assert store.cached(2026).version == 1  # not before the transaction commits
    for callback in uow.committed:
        callback()
    assert store.cached(2026).version == 2


async def test_the_next_save_starts_from_the_stored_version(
    uow: InMemoryIntakeUnitOfWork,
) -> None:
    store = ShippedPolicies()
    v2 = await replace_policy(uow, store, 2026, edited(1, 20), "p1")
    v3 = await replace_policy(uow, store, 2026, edited(2, 25), "p2")
    assert v3.version == 3
    assert uow.audit.records[-1].before == v2.to_document()


async def test_a_document_edited_from_an_older_version_is_refused(
    uow: InMemoryIntakeUnitOfWork,
) -> None:
    store = ShippedPolicies()
    await replace_policy(uow, store, 2026, edited(1, 20), "p1")
    with pytest.raises(PolicyVersionConflict):
        await replace_policy(uow, store, 2026, edited(1, 25), "p2")  # someone saved v2
    assert await uow.policy_versions.newest_version(2026) == 2
    assert (len(uow.outbox.events), len(uow.audit.records)) == (1, 1)


async def test_a_wrong_year_or_an_invalid_document_is_refused_with_nothing_kept(
    uow: InMemoryIntakeUnitOfWork,
) -> None:
    store = ShippedPolicies()
    with pytest.raises(PolicyYearMismatch):
        await replace_policy(uow, store, 2025, edited(1, 20), "p1")
    with pytest.raises(InvalidInput) as refused:
        await replace_policy(uow, store, 2026, edited(1, -3), "p1")
    assert refused.value.details
    assert (uow.policy_versions.documents, uow.outbox.events, uow.audit.records) == ({}, [], [])
