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
from shared.platform.messaging.handler_registry import HandlerRegistry, Handlers, in_batches
from shared.platform.policies.handlers import on_policy_updated
from shared.platform.runtime import ServiceRuntime
from supervision.service_layer import inbound, views

HANDLERS: Handlers = {
    PolicyUpdated: on_policy_updated,
    # review: the registry and the publicity batches (local views), failed spot checks.
    RegistrationIssued: in_batches(views.on_registrations_issued),
    RegistrationRevoked: views.on_registration_revoked,
    PublicityStarted: views.on_publicity_started,
    SpotCheckFailed: views.on_spot_check_failed,
    RegistrationChanged: views.on_registration_changed,
    # Other agencies: the credit archive and joint punishment.
    MarketListingAdded: inbound.on_listing_added,
    MarketListingRemoved: inbound.on_listing_removed,
    TaxViolationRecorded: inbound.on_tax_violation,
    IncidentRecorded: inbound.on_incident,
}


def build_registry(runtime: ServiceRuntime) -> HandlerRegistry:
    return HandlerRegistry.wired(HANDLERS, runtime.handler_dependencies())
