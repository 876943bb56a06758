"""The unit of work writes its outbox rows and audit records together, at its end, in one
statement; rows of a savepoint rolled back are forgotten with it (real PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, func, select

from shared.platform.db.audit import Actor
from shared.platform.db.engine import Database
from shared.platform.db.metadata import audit_log, outbox
from shared.platform.messaging.unit_of_work import UnitOfWork, UnitOfWorkFactory

from .conftest import OrderProbe

pytestmark = pytest.mark.integration
ACTOR = Actor(sub="test", role="system")


async def _count(database: Database, table: Any) -> int:
    async with database.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())


async def test_events_and_audit_records_are_written_in_one_statement_at_the_end(
    database: Database,
) -> None:
    uow = UnitOfWorkFactory(database, source="/sme/test")
    statements: list[str] = []

    def remember(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", remember)
    try:
        async with uow(ACTOR) as work:
            await work.outbox.add(OrderProbe(uscc="ONESTATEMENT00000A", seq=1))
            await work.outbox.add(OrderProbe(uscc="ONESTATEMENT00000A", seq=2))
            await work.audit.record("probe.write", "probe", "1", after={"seq": 2})
            assert statements == []  # nothing written yet
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", remember)
    assert len(statements) == 1
    assert "pg_notify" in statements[0]
    assert await _count(database, outbox) == 2
    assert await _count(database, audit_log) == 1
    async with database.sessions() as session:
        keys = (await session.execute(select(outbox.c.envelope).order_by(outbox.c.id))).scalars()
        assert [b'"seq":1' in k for k in keys] == [True, False]  # the order they were added


async def test_rows_of_a_rolled_back_savepoint_are_forgotten(database: Database) -> None:
    uow = UnitOfWorkFactory(database, source="/sme/test")

    class Boom(Exception):
        pass

    async def undone_savepoint(work: UnitOfWork) -> None:
        async with work.session.begin_nested():
            await work.outbox.add(OrderProbe(uscc="SAVEPOINT00000000A", seq=2))
            async with work.session.begin_nested():  # released, but its parent is not
                await work.audit.record("probe.inner", "probe", "2")
            raise Boom

    async with uow(ACTOR) as work:
        await work.outbox.add(OrderProbe(uscc="SAVEPOINT00000000A", seq=1))
        with pytest.raises(Boom):
            await undone_savepoint(work)
        async with work.session.begin_nested():
            await work.outbox.add(OrderProbe(uscc="SAVEPOINT00000000A", seq=3))
            await work.audit.record("probe.kept", "probe", "3")
    async with database.sessions() as session:
        envelopes = (
            await session.execute(select(outbox.c.envelope).order_by(outbox.c.id))
        ).scalars()
        kept = [b'"seq":1' in e or b'"seq":3' in e for e in envelopes]
        actions = (await session.execute(select(audit_log.c.action))).scalars().all()
    assert kept == [True, True]
    assert actions == ["probe.kept"]
