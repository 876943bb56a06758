"""Unit of work: one database transaction with its outbox and audit trail.

Service-layer functions take a `UnitOfWork`, change state through `session`, add events to
`outbox` and audit records to `audit`; the caller commits once, so the change, its events
and its audit record are written together or not at all.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.audit import Actor, AuditTrail
from shared.db.engine import Database
from shared.messaging.outbox import Outbox


@dataclass
class UnitOfWork:
    session: AsyncSession
    outbox: Outbox
    audit: AuditTrail


@dataclass(frozen=True)
class UnitOfWorkFactory:
    db: Database
    source: str
    topic_prefix: str = ""

    @asynccontextmanager
    async def __call__(self, actor: Actor) -> AsyncIterator[UnitOfWork]:
        async with self.db.sessions() as session, session.begin():
            yield UnitOfWork(
                session=session,
                outbox=Outbox(session, source=self.source, topic_prefix=self.topic_prefix),
                audit=AuditTrail(session, actor),
            )
