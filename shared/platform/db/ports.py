"""The outbox and the audit trail as the service layer sees them (interfaces).

A service's unit of work (its repositories plus these two) is typed with these protocols, so
its use cases run against `shared.platform.messaging.unit_of_work.UnitOfWork`'s real `Outbox` and
`AuditTrail` in production and against `shared.platform.db.in_memory` fakes in unit tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from shared.kernel.events.envelope import EventPayload
from shared.platform.db.audit import AuditEntry


class EventOutbox(Protocol):
    async def add(self, payload: EventPayload) -> str: ...

    async def add_many(self, payloads: Sequence[EventPayload]) -> list[str]: ...


class AuditRecorder(Protocol):
    async def record(
        self, action: str, entity: str, entity_id: str, *, before: Any = None, after: Any = None
    ) -> None: ...

    async def record_many(self, entries: Sequence[AuditEntry]) -> None: ...
