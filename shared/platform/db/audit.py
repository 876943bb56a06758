"""Append-only audit trail: who did what, when, from which organisation, before and after.

A unit of work's trail is deferred: its records are written when the unit of work ends,
in the same statement as its outbox rows (`UnitOfWork.flush`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.platform.db.bulk import array_insert, as_arrays
from shared.platform.db.deferred import DeferredRows
from shared.platform.db.metadata import audit_log
from shared.platform.observability.context import request_id_var


@dataclass(frozen=True, slots=True)
class Actor:
    sub: str
    role: str
    org: str | None = None

    @classmethod
    def system(cls, service: str) -> Actor:
        return cls(sub=f"system:{service}", role="system")


def _jsonable(value: Any) -> Any:
    # Round trip through orjson so Decimals, dates and pydantic dumps land as JSON.
    if value is None:
        return None
    return orjson.loads(orjson.dumps(value, default=str))


_COLUMNS = (
    "actor_sub",
    "actor_role",
    "actor_org",
    "action",
    "entity",
    "entity_id",
    "before",
    "after",
    "request_id",
)
# Any number of records in one statement compiled once (`shared.platform.db.bulk`).
INSERT_ROWS = array_insert(audit_log, _COLUMNS)


class AuditTrail:
    def __init__(self, session: AsyncSession, actor: Actor, *, deferred: bool = False) -> None:
        self._session = session
        self.actor = actor
        self._deferred = DeferredRows(session) if deferred else None

    async def record(
        self, action: str, entity: str, entity_id: str, *, before: Any = None, after: Any = None
    ) -> None:
        await self._write([self._row(action, entity, entity_id, before, after)])

    async def record_many(self, entries: Sequence[AuditEntry]) -> None:
        """Several records at once (a batch of events handled together)."""
        await self._write(
            [self._row(e.action, e.entity, e.entity_id, e.before, e.after) for e in entries]
        )

    def _row(
        self, action: str, entity: str, entity_id: str, before: Any, after: Any
    ) -> dict[str, Any]:
        return {
            "actor_sub": self.actor.sub,
            "actor_role": self.actor.role,
            "actor_org": self.actor.org,
            "action": action,
            "entity": entity,
            "entity_id": str(entity_id),
            "before": _jsonable(before),
            "after": _jsonable(after),
            "request_id": request_id_var.get(),
        }

    async def _write(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        if self._deferred is not None:
            for row in rows:
                self._deferred.add(row)
        else:
            await self._session.execute(insert(audit_log), rows)

    def take_pending(self) -> list[dict[str, Any]]:
        """The deferred records, in the order they were made; the caller writes them."""
        return self._deferred.take() if self._deferred is not None else []

    @staticmethod
    def array_parameters(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
        """The parameters of `INSERT_ROWS` for `rows`."""
        return as_arrays(audit_log, _COLUMNS, rows)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One record of `AuditTrail.record_many`: the arguments of `AuditTrail.record`."""

    action: str
    entity: str
    entity_id: str
    before: Any = None
    after: Any = None
