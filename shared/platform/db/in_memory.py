"""In-memory outbox and audit trail for use-case unit tests (cosmicpython's fakes): they
collect what a use case emitted and recorded, for the test to read back."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from shared.kernel.events.envelope import EventPayload
from shared.platform.db import audit


@dataclass
class FakeOutbox:
    events: list[EventPayload] = field(default_factory=list)

    async def add(self, payload: EventPayload) -> str:
        self.events.append(payload)
        return str(uuid.uuid4())

    async def add_many(self, payloads: Sequence[EventPayload]) -> list[str]:
        return [await self.add(p) for p in payloads]


@dataclass(frozen=True)
class AuditEntry:
    action: str
    entity: str
    entity_id: str
    before: Any
    after: Any


@dataclass
class FakeAudit:
    records: list[AuditEntry] = field(default_factory=list)

    async def record(
        self, action: str, entity: str, entity_id: str, *, before: Any = None, after: Any = None
    ) -> None:
        self.records.append(AuditEntry(action, entity, str(entity_id), before, after))

    async def record_many(self, entries: Sequence[audit.AuditEntry]) -> None:
        for e in entries:
            await self.record(e.action, e.entity, e.entity_id, before=e.before, after=e.after)
