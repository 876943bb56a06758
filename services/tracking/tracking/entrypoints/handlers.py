"""What tracking does on other services' events (one function per event type).

Dependencies are named by the functions' parameters and injected once at start-up
(`HandlerRegistry.wired`); `in_batches` marks a handler that applies a run at once.
"""

from __future__ import annotations

from shared.kernel.events.payloads.intake import PolicyUpdated
from shared.kernel.events.payloads.review import RegistrationIssued, RegistrationRevoked
from shared.platform.messaging.handler_registry import HandlerRegistry, Handlers, in_batches
from shared.platform.runtime import ServiceRuntime
from tracking.service_layer.policy import on_policy_updated
from tracking.service_layer.registrations import on_registration_revoked, on_registrations_issued

HANDLERS: Handlers = {
    PolicyUpdated: on_policy_updated,
    RegistrationIssued: in_batches(on_registrations_issued),
    RegistrationRevoked: on_registration_revoked,
}


def build_registry(runtime: ServiceRuntime) -> HandlerRegistry:
    return HandlerRegistry.wired(HANDLERS, runtime.handler_dependencies())
