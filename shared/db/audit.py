"""Append-only audit trail: who did what, when, from which organisation, before and after."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.metadata import audit_log
from shared.observability.context import request_id_var


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


class AuditTrail:
    def __init__(self, session: AsyncSession, actor: Actor) -> None:
        self._session = session
        self.actor = actor

    async def record(
        self, action: str, entity: str, entity_id: str, *, before: Any = None, after: Any = None
    ) -> None:
        await self._session.execute(
            insert(audit_log).values(
                actor_sub=self.actor.sub,
                actor_role=self.actor.role,
                actor_org=self.actor.org,
                action=action,
                entity=entity,
                entity_id=str(entity_id),
                before=_jsonable(before),
                after=_jsonable(after),
                request_id=request_id_var.get(),
            )
        )

    async def record_many(self, entries: Sequence[AuditEntry]) -> None:
        """Several records in one statement (a batch of events handled together)."""
        if not entries:
            return
        await self._session.execute(
            insert(audit_log),
            [
                {
                    "actor_sub": self.actor.sub,
                    "actor_role": self.actor.role,
                    "actor_org": self.actor.org,
                    "action": e.action,
                    "entity": e.entity,
                    "entity_id": str(e.entity_id),
                    "before": _jsonable(e.before),
                    "after": _jsonable(e.after),
                    "request_id": request_id_var.get(),
                }
                for e in entries
            ],
        )


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One record of `AuditTrail.record_many`: the arguments of `AuditTrail.record`."""

    action: str
    entity: str
    entity_id: str
    before: Any = None
    after: Any = None
