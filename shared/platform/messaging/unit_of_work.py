"""Unit of work: one database transaction with its outbox and audit trail.

Service-layer functions take a `UnitOfWork`, change state through `session`, add events to
`outbox` and audit records to `audit`; the caller commits once, so the change, its events
and its audit record are written together or not at all.

The outbox rows and audit records are kept until the work ends and then written in one
statement with the relay's NOTIFY (`flush`): a command costs its reads, its ORM flush, this
one statement and the COMMIT.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.platform.db.audit import INSERT_ROWS as AUDIT_ROWS
from shared.platform.db.audit import Actor, AuditTrail
from shared.platform.db.engine import Database
from shared.platform.messaging.outbox import COPY_THRESHOLD, NOTIFY_CHANNEL, Outbox
from shared.platform.messaging.outbox import INSERT_ROWS as OUTBOX_ROWS


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

    async def flush(self) -> None:
        """Write the outbox rows and audit records kept so far: one statement (data-modifying
        CTEs and `pg_notify`), or a COPY after it for a large batch of events. Runs at the end
        of the work; a caller may run it earlier (e.g. to hold a row's place while it waits)."""
        events = self.outbox.take_pending()
        records = self.audit.take_pending()
        if not events and not records:
            return
        copy = len(events) >= COPY_THRESHOLD
        # The NOTIFY is delivered at commit only, when the rows are there to publish.
        statement = select(func.pg_notify(NOTIFY_CHANNEL, "") if events else literal(1))
        parameters: dict[str, list[Any]] = {}
        if records:
            statement = statement.add_cte(AUDIT_ROWS.cte("audit_rows"))
            parameters |= self.audit.array_parameters(records)
        if events and not copy:
            statement = statement.add_cte(OUTBOX_ROWS.cte("outbox_rows"))
            parameters |= self.outbox.array_parameters(events)
        await self.session.execute(statement, parameters)
        if copy:  # the statement above opened the transaction the COPY joins
            await self.outbox.copy(events)


class SqlRepositories:
    """The base of each service's PostgreSQL unit of work (`Sql…UnitOfWork`): its
    repositories, which a subclass sets in `__init__`, bound to the session of one shared
    `UnitOfWork` — same transaction, outbox and audit trail; the caller still commits it."""

    def __init__(self, work: UnitOfWork) -> None:
        self.work = work

    @property
    def session(self) -> AsyncSession:
        return self.work.session

    @property
    def outbox(self) -> Outbox:
        return self.work.outbox

    @property
    def audit(self) -> AuditTrail:
        return self.work.audit

    @property
    def actor(self) -> Actor:
        return self.work.audit.actor

    def after_commit(self, callback: Callable[[], None]) -> None:
        self.work.after_commit(callback)


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
                    outbox=Outbox(
                        session,
                        source=self.source,
                        topic_prefix=self.topic_prefix,
                        deferred=True,
                    ),
                    audit=AuditTrail(session, actor, deferred=True),
                )
                yield work
                await work.flush()
            for callback in work._after_commit:
                callback()
