"""What intake does on other services' events (one function per event type).

Consumed topics (shared.events.topics.CONSUMED_BY): sme.review.v1, sme.publicity.v1,
sme.registration.v1. Other types on those topics (spot checks, announcements) are ignored:
the registration events already carry what an announcement means for an application.
"""

from __future__ import annotations

from intake.service_layer import status_events
from shared.events.payloads.review import (
    PublicityStarted,
    RegistrationIssued,
    RegistrationRevoked,
    ReviewCaseClosed,
    ReviewCaseOpened,
    ReviewDecided,
)
from shared.messaging.consumer import HandlerRegistry


def build_registry() -> HandlerRegistry:
    registry = HandlerRegistry()
    registry.on(ReviewCaseOpened, status_events.on_review_opened)
    registry.on(ReviewDecided, status_events.on_review_decided)
    registry.on(PublicityStarted, status_events.on_publicity_started)
    registry.on(RegistrationIssued, status_events.on_registration_issued)
    registry.on(RegistrationRevoked, status_events.on_registration_revoked)
    registry.on(ReviewCaseClosed, status_events.on_review_closed)
    return registry
