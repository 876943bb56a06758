"""What supervision does on other services' events (one function per event type)."""

from __future__ import annotations

from shared.events.payloads.intake import PolicyUpdated
from shared.messaging.consumer import HandlerRegistry
from shared.policy.handlers import policy_updated_handler
from shared.runtime import ServiceRuntime


def build_registry(runtime: ServiceRuntime) -> HandlerRegistry:
    registry = HandlerRegistry()
    registry.on(PolicyUpdated, policy_updated_handler(runtime.policies))
    return registry
