"""What tracking does on other services' events (one function per event type).

Dependencies are named by the functions' parameters and injected once at start-up
(`HandlerRegistry.wired`); `in_batches` marks a handler that applies a run at once.
"""

from __future__ import annotations

from shared.kernel.events.payloads.intake import PolicyUpdated
from shared.kernel.events.payloads.review import RegistrationIssued, RegistrationRevoked
from shared.platform.messaging.handler_registry import (
    HandlerRegistry,
    Handlers,
    in_batches,
    on_repositories,
)
from shared.platform.runtime import ServiceRuntime
from tracking.adapters.unit_of_work import SqlTrackingUnitOfWork
from tracking.service_layer.policy import on_policy_updated
from tracking.service_layer.registrations import on_registration_revoked, on_registrations_issued

# Tracking's use cases take `TrackingUnitOfWork`; the consumer hands the shared one.
_on_tracking_work = on_repositories(SqlTrackingUnitOfWork)

HANDLERS: Handlers = {
    PolicyUpdated: _on_tracking_work(on_policy_updated),
    RegistrationIssued: in_batches(_on_tracking_work(on_registrations_issued)),
    RegistrationRevoked: _on_tracking_work(on_registration_revoked),
}


def build_registry(runtime: ServiceRuntime) -> HandlerRegistry:
    return HandlerRegistry.wired(HANDLERS, runtime.handler_dependencies())
