"""In-memory outbox, audit trail and policy versions for use-case unit tests (cosmicpython's
fakes): they collect what a use case emitted, recorded and kept, for the test to read back."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from shared.kernel.events.envelope import EventPayload
from shared.kernel.policy.loader import shipped_policy
from shared.kernel.policy.model import Policy
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


@dataclass
class InMemoryPolicyVersions:
    documents: dict[tuple[int, int], Any] = field(default_factory=dict)  # by (year, version)

    async def keep(self, policy: Policy, *, created_by: str | None) -> None:
        self.documents.setdefault((policy.year, policy.version), policy.to_document())

    async def stored_document(self, year: int, version: int) -> Any | None:
        return self.documents.get((year, version))

    async def newest_version(self, year: int) -> int | None:
        return max((v for y, v in self.documents if y == year), default=None)

    async def newest_documents(self) -> list[Any]:
        newest: dict[int, int] = {}
        for year, version in self.documents:
            newest[year] = max(version, newest.get(year, version))
        return [self.documents[year, version] for year, version in newest.items()]

    async def next_version(self, year: int) -> int:
        current = await self.newest_version(year)
        if current is None:
            try:
                current = shipped_policy(year).version
            except LookupError:
                current = 0
        return current + 1
