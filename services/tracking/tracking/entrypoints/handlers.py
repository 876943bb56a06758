"""What tracking does on other services' events (one function per event type)."""

from __future__ import annotations

from shared.events.payloads.intake import PolicyUpdated
from shared.events.payloads.review import RegistrationIssued, RegistrationRevoked
from shared.messaging.consumer import HandlerRegistry
from shared.runtime import ServiceRuntime
from tracking.service_layer.policy import policy_updated_with_due_dates
from tracking.service_layer.registrations import (
    on_registration_revoked,
    registration_issued_handler,
)


def build_registry(runtime: ServiceRuntime) -> HandlerRegistry:
    registry = HandlerRegistry()
    registry.on(PolicyUpdated, policy_updated_with_due_dates(runtime.policies, runtime.clock))
    registry.on(RegistrationIssued, registration_issued_handler(runtime.policies))
    registry.on(RegistrationRevoked, on_registration_revoked)
    return registry
