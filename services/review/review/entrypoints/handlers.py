"""What review does on other services' events (one function per event type)."""

from __future__ import annotations

from review.service_layer import cases
from shared.events.payloads.intake import ApplicationSubmitted, PolicyUpdated
from shared.messaging.consumer import HandlerRegistry
from shared.policy.handlers import policy_updated_handler
from shared.runtime import ServiceRuntime


def build_registry(runtime: ServiceRuntime) -> HandlerRegistry:
    registry = HandlerRegistry()
    registry.on(PolicyUpdated, policy_updated_handler(runtime.policies))
    registry.on(ApplicationSubmitted, cases.on_application_submitted)
    return registry
