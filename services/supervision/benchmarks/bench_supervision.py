"""Benchmarks of supervision (not tests): public filing, a large publicity batch, overdue lists.

    make bench        (or, with a running infra:)
    SME_TEST_INFRA=.local/dev/infra.json \
        .venv/bin/python services/supervision/benchmarks/bench_supervision.py [filings]

1. `POST /api/v1/cases` through the in-process app: a public complaint per request (rate
   limit upsert, duplicate check under an advisory lock, insert, outbox, audit).
2. `cn.sme.publicity.started.v1` with 5,000 entries: the handler's one transaction.
3. `GET /api/v1/cases?overdue=true` with 50,000 cases in the table (10% overdue), for the
   province and for one agency, first page of 50.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from localdev.stack import Infra, dev_keys
from localdev.testing import Tokens, running_app, test_settings
from shared.kernel.calendar.clock import FixedClock
from shared.kernel.codes.uscc import with_check_digit
from shared.kernel.events.envelope import CloudEvent
from shared.kernel.events.payloads.review import PublicityEntry, PublicityStarted
from shared.platform.db.audit import Actor
from supervision.bootstrap import create_app
from supervision.config import SupervisionSettings
from supervision.entrypoints.handlers import build_registry

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
AGENCIES = ["150100", "150200", "150300", "150400", "150500", "150600", "150700", "150800"]


def _infra() -> Infra:
    described = os.environ.get("SME_TEST_INFRA")
    if not described:
        sys.exit("set SME_TEST_INFRA (make bench does) to a running PostgreSQL/Kafka descriptor")
    data = json.loads(Path(described).read_text())
    return Infra(
        Path(data["state_dir"]), data["pg_port"], data["kafka_port"], data["kafka_controller_port"]
    )


def _report(label: str, millis: list[float]) -> None:
    ordered = sorted(millis)

    def p(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    print(
        f"{label:<52} median {statistics.median(ordered):7.2f} ms   p90 {p(0.9):7.2f} ms   "
        f"p99 {p(0.99):7.2f} ms   (n={len(ordered)})"
    )


async def _timed(call: Callable[[], Awaitable[Any]], n: int) -> list[float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        await call()
        times.append((time.perf_counter() - start) * 1000)
    return times


async def main(filings: int) -> None:
    infra = _infra()
    url = infra.database_url("supervision", f"_bench{uuid.uuid4().hex[:8]}")
    settings = SupervisionSettings(
        **test_settings(
            "supervision", url, infra, dev_keys(), LOG_LEVEL="WARNING", FILING_RATE_LIMIT=1_000_000
        )
    )
    app = create_app(settings, run_background=False, clock=FixedClock(NOW))
    logging.getLogger().setLevel(logging.WARNING)
    tokens = Tokens(dev_keys()[0])
    runtime = app.state.runtime
    async with running_app(app) as client:
        # 1. public filing
        counter = iter(range(10**9))

        async def file_one() -> None:
            i = next(counter)
            response = await client.post(
                "/api/v1/cases",
                json={
                    "kind": "complaint",
                    "subject_uscc": with_check_digit(f"91150105MA{i % 9_000_000:07d}"),
                    "grounds": f"投诉 {i}",
                    "facts": "事实与理由" * 20,
                    "evidence": ["合同"],
                },
                headers={"X-Forwarded-For": f"10.{i % 250}.{i // 250 % 250}.1"},
            )
            assert response.status_code == 201, response.text

        await _timed(file_one, 50)  # warm up
        _report("POST /cases (public complaint), round trip", await _timed(file_one, filings))

        # 2. a publicity batch of 5,000 entries
        event = PublicityStarted(
            batch_id=str(uuid.uuid4()),
            year=2026,
            starts_on=date(2026, 11, 26),
            ends_on=date(2026, 12, 10),
            entries=[
                PublicityEntry(
                    uscc=with_check_digit(f"91150105MB{i:07d}"),
                    name=f"企业{i}",
                    agency=AGENCIES[i % len(AGENCIES)],
                    case_id=str(uuid.uuid4()),
                )
                for i in range(5_000)
            ],
        )
        handler = build_registry(runtime).get(event.event_type)
        assert handler is not None
        start = time.perf_counter()
        async with runtime.uow(Actor.system("supervision")) as uow:
            await handler.handler(uow, event, CloudEvent.wrap(event, source="/bench"))
        print(
            f"{'publicity.started with 5,000 entries (one tx)':<52} "
            f"{(time.perf_counter() - start) * 1000:7.1f} ms"
        )

        # 3. overdue lists over 50,000 cases (bulk-seeded in SQL)
        async with runtime.db.sessions() as session, session.begin():
            await session.execute(
                text("""
                INSERT INTO supervision_case (id, kind, subject_uscc, year, agency, status,
                    grounds, facts, evidence, filer_type, fingerprint, filed_at, filed_on,
                    accept_due_on, accept_due_provisional, due_on)
                SELECT gen_random_uuid(), 'report', '91150105MC' || lpad(g::text, 8, '0'),
                    2026, (ARRAY['150100','150200','150300','150400','150500','150600',
                                 '150700','150800'])[1 + g % 8],
                    'received', 'x', 'y', '[]'::jsonb, 'anonymous', md5(g::text),
                    (:now)::timestamptz - make_interval(days => g % 60), (:today)::date - g % 60,
                    (:today)::date - g % 60 + 7, false,
                    CASE WHEN g % 10 = 0 THEN (:today)::date - 1 - g % 30
                         ELSE (:today)::date + 5 END
                FROM generate_series(1, 50000) AS g
                """),
                {"now": NOW, "today": NOW.date()},
            )
            await session.execute(text("ANALYZE supervision_case"))
        province, agency = tokens.province(), tokens.agency("150100")

        async def overdue(headers: dict[str, str]) -> None:
            response = await client.get("/api/v1/cases?overdue=true&limit=50", headers=headers)
            assert response.status_code == 200
            assert len(response.json()["items"]) == 50

        await _timed(lambda: overdue(province), 20)
        for label, headers in (("province", province), ("one agency", agency)):
            times = await _timed(lambda h=headers: overdue(h), 200)
            _report(f"GET /cases?overdue=true ({label}, 50k cases)", times)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 500))
