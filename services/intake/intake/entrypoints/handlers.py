"""What intake does on other services' events (one function per event type).

Consumed topics (shared.kernel.events.topics.CONSUMED_BY): sme.review.v1, sme.publicity.v1,
sme.registration.v1. Other types on those topics (spot checks, announcements) are ignored:
the registration events already carry what an announcement means for an application.

Dependencies are named by the functions' parameters and injected once at start-up
(`HandlerRegistry.wired`); `in_batches` marks a handler that applies a run at once.
"""

from __future__ import annotations

from intake.service_layer import status_events
from shared.kernel.events.payloads.review import (
    PublicityStarted,
    RegistrationIssued,
    RegistrationRevoked,
    ReviewCaseClosed,
    ReviewCaseOpened,
    ReviewDecided,
)
from shared.platform.messaging.handler_registry import HandlerRegistry, Handlers, in_batches
from shared.platform.runtime import ServiceRuntime

HANDLERS: Handlers = {
    ReviewCaseOpened: status_events.on_review_opened,
    ReviewDecided: status_events.on_review_decided,
    PublicityStarted: status_events.on_publicity_started,
    RegistrationIssued: in_batches(status_events.on_registrations_issued),
    RegistrationRevoked: status_events.on_registration_revoked,
    ReviewCaseClosed: status_events.on_review_closed,
}


def build_registry(runtime: ServiceRuntime) -> HandlerRegistry:
    return HandlerRegistry.wired(HANDLERS, runtime.handler_dependencies())
