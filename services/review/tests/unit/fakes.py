"""What the use-case unit tests run with besides the in-memory unit of work and the shipped
policies (`shared.platform.policies.in_memory`): an event envelope at a given time."""

from __future__ import annotations

from datetime import datetime

from shared.kernel.events.envelope import CloudEvent, EventPayload


def envelope(payload: EventPayload, at: datetime) -> CloudEvent:
    return CloudEvent.wrap(payload, source="/sme/test", time=at)
