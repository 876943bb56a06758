"""Benchmark of the overdue detection (not a test): 100,000 obligations, one transaction.

    make bench        (or, with a running infra:)
    SME_TEST_INFRA=.local/dev/infra.json \
        .venv/bin/python services/tracking/benchmarks/bench_overdue.py

Issue 6: "Overdue detection is set-based; note how long it takes for 100,000 obligations".
Worst case: on 2027-02-01 every one of the 100,000 obligations (2026 Q1..Q4, none
reported) is past its due date, so ONE `UPDATE ... WHERE state = 'due' AND due_on < today
RETURNING` moves them all, and the same transaction writes 100,000 outbox rows (one
multi-row insert) and the audit record. Then the second run, which finds nothing.

Printed: the UPDATE statement alone (measured in a transaction rolled back first), the
whole detection (statement + 100,000 events + audit, committed) and the second run.
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).parent))

from fixtures import bench_database, load

from shared.platform.db.audit import Actor
from shared.platform.db.metadata import outbox
from shared.platform.messaging.unit_of_work import UnitOfWorkFactory
from tracking.adapters.obligations import mark_overdue
from tracking.adapters.unit_of_work import SqlTrackingUnitOfWork
from tracking.service_layer.overdue import detect_overdue

TODAY = date(2027, 2, 1)
NOW = datetime(2027, 2, 1, 2, tzinfo=UTC)


async def main() -> None:
    async with bench_database() as db:
        start = time.perf_counter()
        loaded = await load(db)
        print(f"loaded {loaded} in {time.perf_counter() - start:.1f} s (COPY)")
        uow = UnitOfWorkFactory(db, source="/sme/tracking")
        actor = Actor.system("tracking-bench")

        async with db.sessions() as session, session.begin():
            start = time.perf_counter()
            moved = await mark_overdue(session, TODAY, NOW)
            statement_s = time.perf_counter() - start
            await session.rollback()
        async with db.engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.exec_driver_sql("VACUUM ANALYZE obligation")

        start = time.perf_counter()
        async with uow(actor) as work:
            first = await detect_overdue(SqlTrackingUnitOfWork(work), TODAY, NOW)
        first_s = time.perf_counter() - start

        start = time.perf_counter()
        async with uow(actor) as work:
            second = await detect_overdue(SqlTrackingUnitOfWork(work), TODAY, NOW)
        second_s = time.perf_counter() - start

        async with db.sessions() as session:
            events = await session.scalar(select(func.count()).select_from(outbox))
        print(f"the UPDATE ... RETURNING alone: {len(moved):,} rows in {statement_s:.2f} s")
        print(
            f"overdue detection, {loaded['obligations']:,} obligations all past due: "
            f"{first.marked:,} marked + {events:,} events in {first_s:.2f} s (one transaction)"
        )
        print(f"second run: {second.marked} marked in {second_s * 1000:.1f} ms")
        assert first.marked == loaded["obligations"] == events
        assert second.marked == 0


if __name__ == "__main__":
    asyncio.run(main())
