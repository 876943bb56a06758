"""What supervision does on other services' and other agencies' events (one function per
event type; the functions live in the service layer).

Dependencies are named by the functions' parameters and injected once at start-up
(`HandlerRegistry.wired`).
"""

from __future__ import annotations

from shared.kernel.events.payloads.external import (
    IncidentRecorded,
    MarketListingAdded,
    MarketListingRemoved,
    TaxViolationRecorded,
)
from shared.kernel.events.payloads.intake import PolicyUpdated
from shared.kernel.events.payloads.review import (
    PublicityStarted,
    RegistrationChanged,
    RegistrationIssued,
    RegistrationRevoked,
    SpotCheckFailed,
)
from shared.platform.messaging.handler_registry import (
    HandlerRegistry,
    Handlers,
    in_batches,
    on_repositories,
)
from shared.platform.policies.handlers import on_policy_updated
from shared.platform.runtime import ServiceRuntime
from supervision.adapters.unit_of_work import SqlSupervisionUnitOfWork
from supervision.service_layer import inbound, views

# Supervision's handlers take `SupervisionUnitOfWork`; the consumer hands the shared one.
_on_supervision_work = on_repositories(SqlSupervisionUnitOfWork)

HANDLERS: Handlers = {
    PolicyUpdated: on_policy_updated,
    # review: the registry and the publicity batches (local views), failed spot checks.
    RegistrationIssued: in_batches(_on_supervision_work(views.on_registrations_issued)),
    RegistrationRevoked: _on_supervision_work(views.on_registration_revoked),
    PublicityStarted: _on_supervision_work(views.on_publicity_started),
    SpotCheckFailed: _on_supervision_work(views.on_spot_check_failed),
    RegistrationChanged: _on_supervision_work(views.on_registration_changed),
    # Other agencies: the credit archive and joint punishment.
    MarketListingAdded: _on_supervision_work(inbound.on_listing_added),
    MarketListingRemoved: _on_supervision_work(inbound.on_listing_removed),
    TaxViolationRecorded: _on_supervision_work(inbound.on_tax_violation),
    IncidentRecorded: _on_supervision_work(inbound.on_incident),
}


def build_registry(runtime: ServiceRuntime) -> HandlerRegistry:
    return HandlerRegistry.wired(HANDLERS, runtime.handler_dependencies())
