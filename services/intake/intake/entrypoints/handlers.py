"""What intake does on other services' events (one function per event type).

Consumed topics (shared.kernel.events.topics.CONSUMED_BY): sme.review.v1, sme.publicity.v1,
sme.registration.v1. Other types on those topics (spot checks, announcements) are ignored:
the registration events already carry what an announcement means for an application.

Dependencies are named by the functions' parameters and injected once at start-up
(`HandlerRegistry.wired`); `in_batches` marks a handler that applies a run at once.
"""

from __future__ import annotations

from intake.adapters.unit_of_work import SqlIntakeUnitOfWork
from intake.service_layer import status_events
from shared.kernel.events.payloads.review import (
    PublicityStarted,
    RegistrationIssued,
    RegistrationRevoked,
    ReviewCaseClosed,
    ReviewCaseOpened,
    ReviewDecided,
)
from shared.platform.messaging.handler_registry import (
    HandlerRegistry,
    Handlers,
    in_batches,
    on_repositories,
)
from shared.platform.runtime import ServiceRuntime

# Intake's use cases take `IntakeUnitOfWork`; the consumer hands the shared one.
_on_intake_work = on_repositories(SqlIntakeUnitOfWork)


HANDLERS: Handlers = {
    ReviewCaseOpened: _on_intake_work(status_events.on_review_opened),
    ReviewDecided: _on_intake_work(status_events.on_review_decided),
    PublicityStarted: _on_intake_work(status_events.on_publicity_started),
    RegistrationIssued: in_batches(_on_intake_work(status_events.on_registrations_issued)),
    RegistrationRevoked: _on_intake_work(status_events.on_registration_revoked),
    ReviewCaseClosed: _on_intake_work(status_events.on_review_closed),
}


def build_registry(runtime: ServiceRuntime) -> HandlerRegistry:
    return HandlerRegistry.wired(HANDLERS, runtime.handler_dependencies())
