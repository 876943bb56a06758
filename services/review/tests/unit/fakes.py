"""What the use-case unit tests run with besides the in-memory unit of work: the shipped
policy of every year (no database) and an event envelope at a given time."""

from __future__ import annotations

from datetime import datetime

from shared.kernel.events.envelope import CloudEvent, EventPayload
from shared.kernel.policy.loader import shipped_policy
from shared.kernel.policy.model import Policy
from shared.platform.policies.store import PolicyStore


class ShippedPolicies(PolicyStore):
    """The shipped policy of every year, no database."""

    def __init__(self) -> None:
        pass

    async def get(self, year: int) -> Policy:
        return shipped_policy(year)


def envelope(payload: EventPayload, at: datetime) -> CloudEvent:
    return CloudEvent.wrap(payload, source="/sme/test", time=at)
