"""What intake does on other services' events (one function per event type)."""

from __future__ import annotations

from intake.service_layer import applications
from shared.events.payloads.review import ReviewCaseOpened
from shared.messaging.consumer import HandlerRegistry


def build_registry() -> HandlerRegistry:
    registry = HandlerRegistry()
    registry.on(ReviewCaseOpened, applications.on_review_opened)
    return registry
