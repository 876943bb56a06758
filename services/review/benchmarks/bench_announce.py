"""Benchmark of announcing a publicity batch (not a test): 5,000 cases, one transaction.

    make bench        (or, with a running infra:)
    SME_TEST_INFRA=.local/dev/infra.json \
        .venv/bin/python services/review/benchmarks/bench_announce.py

Issue 4: "Announcing a batch is set-based (one transaction for the batch's numbers and
outbox rows, not one round trip per case); note how long a 5,000-case batch takes."
The announcement locks the batch and its cases, reserves 5,000 serials with ONE counter
update, writes the registry, the cases' status and history with one statement each, the
public notice, and 5,001 outbox rows (PublicityAnnounced + one RegistrationIssued per case)
with one multi-row insert. Three batches are announced one after the other, so the later
ones continue the serials of the earlier ones.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, select, text

from localdev.stack import Infra
from review.adapters.unit_of_work import SqlReviewUnitOfWork
from review.service_layer.publicity import announce, start_publicity
from shared.kernel.calendar import WorkingDayCalendar
from shared.kernel.policy.loader import shipped_policy
from shared.platform.auth.principal import Principal, Role
from shared.platform.db.engine import Database
from shared.platform.db.metadata import outbox
from shared.platform.db.migrate import upgrade_to_head
from shared.platform.messaging.unit_of_work import UnitOfWorkFactory

MIGRATIONS = Path(__file__).resolve().parents[1] / "review" / "migrations"
BATCH = 5_000
RUNS = 3
TODAY = date(2026, 6, 15)
NOW = datetime(2026, 6, 15, 2, tzinfo=UTC)
PROVINCE = Principal(sub="bench-province", role=Role.PROVINCE)
# (agency, region) pairs the cases are spread over, as a real batch would be.
AREAS = [
    ("150100", "150105"),
    ("150200", "150203"),
    ("150400", "150402"),
    ("150600", "150602"),
    ("150781", "150781"),
    ("152501", "152501"),
    ("htz-baotou", "150205"),
]

_SEED = text("""
    INSERT INTO review_case (
        id, application_id, year, uscc, enterprise_name, region_code, industry_code, agency,
        status, round, form, score, self_evaluation, policy_version, first_time,
        submitted_at, due_on, due_on_provisional, onsite_triggers, created_at, updated_at)
    SELECT gen_random_uuid(), gen_random_uuid(), 2026,
           '91' || a.region || 'MA' || lpad(g::text, 8, '0'), '内蒙古基准测试企业' || g,
           a.region, 'I6513', a.agency, 'approved', 1, '{}', '{}', '{}', 1, false,
           now(), DATE '2026-07-14', false, '[]', now(), now()
    FROM generate_series(CAST(:first AS int), CAST(:last AS int)) AS g
    JOIN unnest(CAST(:agencies AS text[]), CAST(:regions AS text[]))
         WITH ORDINALITY AS a(agency, region, i) ON a.i = g % :areas + 1
    RETURNING id
""")


@asynccontextmanager
async def bench_database() -> AsyncIterator[Database]:
    described = os.environ.get("SME_TEST_INFRA", ".local/dev/infra.json")
    data = json.loads(Path(described).read_text())
    infra = Infra(
        Path(data["state_dir"]), data["pg_port"], data["kafka_port"], data["kafka_controller_port"]
    )
    url = infra.database_url("review", f"_bench{uuid.uuid4().hex[:8]}")
    db = Database.connect(url, pool_size=2, application_name="review-bench")
    try:
        await upgrade_to_head(db.engine, MIGRATIONS)
        yield db
    finally:
        await db.dispose()


async def seed(db: Database, first: int) -> list[uuid.UUID]:
    async with db.sessions() as session, session.begin():
        return list(
            (
                await session.execute(
                    _SEED,
                    {
                        "first": first,
                        "last": first + BATCH - 1,
                        "agencies": [a for a, _ in AREAS],
                        "regions": [r for _, r in AREAS],
                        "areas": len(AREAS),
                    },
                )
            ).scalars()
        )


async def main() -> None:
    policy = shipped_policy(2026)
    calendar = WorkingDayCalendar()
    async with bench_database() as db:
        uow = UnitOfWorkFactory(db, source="/sme/review")
        timings = []
        for run in range(RUNS):
            case_ids = await seed(db, first=run * BATCH + 1)
            start = time.perf_counter()
            async with uow(PROVINCE.actor) as work:
                batch = await start_publicity(
                    SqlReviewUnitOfWork(work),
                    PROVINCE,
                    year=2026,
                    case_ids=case_ids,
                    starts_on=date(2026, 5, 6),
                    policy=policy,
                    calendar=calendar,
                    today=TODAY,
                    now=NOW,
                )
            started_s = time.perf_counter() - start

            start = time.perf_counter()
            async with uow(PROVINCE.actor) as work:
                _, registered, held = await announce(
                    SqlReviewUnitOfWork(work),
                    PROVINCE,
                    batch.id,
                    policy=policy,
                    today=TODAY,
                    now=NOW,
                )
            announced_s = time.perf_counter() - start
            timings.append(announced_s)
            assert (registered, held) == (BATCH, 0)
            print(
                f"run {run + 1}: publicity of {BATCH:,} cases started in {started_s:.2f} s; "
                f"announced ({registered:,} numbers + {registered + 1:,} events) "
                f"in {announced_s:.2f} s, one transaction"
            )

        async with db.sessions() as session:
            serials = (
                await session.execute(
                    text(
                        "SELECT count(*), count(DISTINCT number), min(serial), max(serial) "
                        "FROM registration"
                    )
                )
            ).one()
            events = await session.scalar(
                select(func.count())
                .select_from(outbox)
                .where(outbox.c.event_type == "cn.sme.registration.issued.v1")
            )
        total = RUNS * BATCH
        assert tuple(serials) == (total, total, 1, total), serials
        assert events == total
        print(
            f"announcement of a {BATCH:,}-case batch: best {min(timings):.2f} s, "
            f"median {sorted(timings)[len(timings) // 2]:.2f} s over {RUNS} runs; "
            f"serials 1..{total:,} unique and gap-free"
        )


if __name__ == "__main__":
    asyncio.run(main())
