"""What supervision does on other services' and other agencies' events (one function per
event type; the functions live in the service layer)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from shared.db.unit_of_work import UnitOfWork
from shared.events.envelope import CloudEvent, EventPayload
from shared.events.payloads.external import (
    IncidentRecorded,
    MarketListingAdded,
    MarketListingRemoved,
    TaxViolationRecorded,
)
from shared.events.payloads.intake import PolicyUpdated
from shared.events.payloads.review import (
    PublicityStarted,
    RegistrationChanged,
    RegistrationIssued,
    RegistrationRevoked,
    SpotCheckFailed,
)
from shared.messaging.consumer import Handler, HandlerRegistry
from shared.policy.handlers import policy_updated_handler
from shared.policy.store import PolicyStore
from shared.runtime import ServiceRuntime
from supervision.service_layer import inbound, views

P = TypeVar("P", bound=EventPayload)


def _with_policies(
    handler: Callable[[UnitOfWork, P, CloudEvent, PolicyStore], Awaitable[None]],
    policies: PolicyStore,
) -> Handler[P]:
    async def handle(uow: UnitOfWork, event: P, envelope: CloudEvent) -> None:
        await handler(uow, event, envelope, policies)

    return handle


def build_registry(runtime: ServiceRuntime) -> HandlerRegistry:
    policies = runtime.policies
    registry = HandlerRegistry()
    registry.on(PolicyUpdated, policy_updated_handler(policies))
    # review: the registry and the publicity batches (local views), failed spot checks.
    registry.on(RegistrationIssued, _with_policies(views.on_registration_issued, policies))
    registry.on(RegistrationRevoked, views.on_registration_revoked)
    registry.on(PublicityStarted, views.on_publicity_started)
    registry.on(SpotCheckFailed, views.on_spot_check_failed)
    registry.on(RegistrationChanged, views.on_registration_changed)
    # Other agencies: the credit archive and joint punishment.
    registry.on(MarketListingAdded, _with_policies(inbound.on_listing_added, policies))
    registry.on(MarketListingRemoved, _with_policies(inbound.on_listing_removed, policies))
    registry.on(TaxViolationRecorded, inbound.on_tax_violation)
    registry.on(IncidentRecorded, _with_policies(inbound.on_incident, policies))
    return registry
