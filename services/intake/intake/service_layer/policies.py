"""PUT /policy/{year}: the province replaces a year's policy (validated, versioned, audited).

Optimistic concurrency: the document sent must carry the version it was read as (what
GET returned). The stored copy gets the next version number; a document edited from an
older version is refused with 409 instead of silently undoing someone else's change.
For a year that has no policy yet (neither shipped nor stored) any version is accepted
and the new policy becomes version 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from intake.domain.errors import PolicyVersionConflict, PolicyYearMismatch
from intake.service_layer.unit_of_work import IntakeUnitOfWork
from shared.kernel.events.payloads.intake import PolicyUpdated
from shared.kernel.policy.loader import PolicyYearNotShipped, policy_from_document, shipped_policy
from shared.kernel.policy.model import Policy
from shared.platform.policies.store import PolicyStore
from shared.platform.web.errors import invalid_from_validation_error


def validated(document: Mapping[str, Any]) -> Policy:
    try:
        return policy_from_document(document)
    except ValidationError as exc:
        raise invalid_from_validation_error(exc) from exc


async def _current_document(
    uow: IntakeUnitOfWork, year: int, version: int
) -> dict[str, Any] | None:
    stored = await uow.policy_versions.stored_document(year, version)
    if stored is not None:
        return dict(stored)
    try:
        return shipped_policy(year).to_document()
    except PolicyYearNotShipped:
        return None


async def replace_policy(
    uow: IntakeUnitOfWork, store: PolicyStore, year: int, document: Mapping[str, Any], actor: str
) -> Policy:
    """Validate, version, store, publish and audit the new version of the year's policy."""
    sent = validated(document)
    if sent.year != year:
        raise PolicyYearMismatch(year, sent.year)
    version = await uow.policy_versions.next_version(year)  # serialises writers of the year
    before = await _current_document(uow, year, version - 1)
    if before is not None and sent.version != version - 1:
        raise PolicyVersionConflict(sent.version, version - 1)
    policy = validated({**sent.to_document(), "version": version})
    await uow.policy_versions.keep(policy, created_by=actor)
    after = policy.to_document()
    await uow.outbox.add(PolicyUpdated(year=year, version=version, policy=after))
    await uow.audit.record("policy.update", "policy", str(year), before=before, after=after)
    # Served by this replica as soon as it is committed (others within the store's TTL).
    uow.after_commit(lambda: store.remember(policy))
    return policy
