"""The outbox, the audit trail and the kept policy versions as the service layer sees them
(interfaces).

A service's unit of work (its repositories plus these two) is typed with these protocols, so
its use cases run against `shared.platform.messaging.unit_of_work.UnitOfWork`'s real `Outbox` and
`AuditTrail` in production and against `shared.platform.db.in_memory` fakes in unit tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from shared.kernel.events.envelope import EventPayload
from shared.kernel.policy.model import Policy
from shared.platform.db.audit import AuditEntry


class EventOutbox(Protocol):
    async def add(self, payload: EventPayload) -> str: ...

    async def add_many(self, payloads: Sequence[EventPayload]) -> list[str]: ...


class AuditRecorder(Protocol):
    async def record(
        self, action: str, entity: str, entity_id: str, *, before: Any = None, after: Any = None
    ) -> None: ...

    async def record_many(self, entries: Sequence[AuditEntry]) -> None: ...


class PolicyVersions(Protocol):
    """The policy versions a service keeps (`policy_version`), read in the transaction
    (`shared.platform.db.policy_versions`)."""

    async def keep(self, policy: Policy, *, created_by: str | None) -> None:
        """Store a version; one already kept is left as it is (a redelivered event)."""

    async def stored_document(self, year: int, version: int) -> Any | None: ...

    async def newest_version(self, year: int) -> int | None: ...

    async def newest_documents(self) -> list[Any]:
        """The document of the newest kept version of every year."""

    async def next_version(self, year: int) -> int:
        """The number the year's next version gets (the shipped file is version 1); writers
        of the same year wait for each other until the transaction ends."""
