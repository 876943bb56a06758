"""Unit of work: one database transaction with its outbox and audit trail.

Service-layer functions take a `UnitOfWork`, change state through `session`, add events to
`outbox` and audit records to `audit`; the caller commits once, so the change, its events
and its audit record are written together or not at all.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.audit import Actor, AuditTrail
from shared.db.engine import Database
from shared.messaging.outbox import Outbox


@dataclass
class UnitOfWork:
    session: AsyncSession
    outbox: Outbox
    audit: AuditTrail
    _after_commit: list[Callable[[], None]] = field(default_factory=list)

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the transaction has committed (e.g. refresh an in-memory cache);
        never if it rolls back."""
        self._after_commit.append(callback)


@dataclass(frozen=True)
class UnitOfWorkFactory:
    db: Database
    source: str
    topic_prefix: str = ""

    @asynccontextmanager
    async def __call__(self, actor: Actor) -> AsyncIterator[UnitOfWork]:
        async with self.db.sessions() as session:
            async with session.begin():
                work = UnitOfWork(
                    session=session,
                    outbox=Outbox(session, source=self.source, topic_prefix=self.topic_prefix),
                    audit=AuditTrail(session, actor),
                )
                yield work
            for callback in work._after_commit:
                callback()
