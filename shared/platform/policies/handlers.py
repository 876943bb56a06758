"""`cn.sme.policy.updated.v1` for the services that apply the policy intake publishes."""

from __future__ import annotations

from shared.kernel.events.envelope import CloudEvent
from shared.kernel.events.payloads.intake import PolicyUpdated
from shared.kernel.policy.loader import policy_from_document
from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.policies.store import PolicyStore


async def on_policy_updated(
    uow: UnitOfWork, event: PolicyUpdated, envelope: CloudEvent, policies: PolicyStore
) -> None:
    policy = policy_from_document(event.policy)
    await policies.store_version(uow.session, policy, created_by=f"event:{event.version}")
    await uow.audit.record("policy.received", "policy", f"{event.year}/v{event.version}")
    # Visible in this replica once committed; other replicas see it within the store's TTL.
    uow.after_commit(lambda: policies.remember(policy))
