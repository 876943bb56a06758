"""Benchmark of the quarterly statistics query (not a test): 100,000 obligations.

    make bench        (or, with a running infra:)
    SME_TEST_INFRA=.local/dev/infra.json \\
        .venv/bin/python services/tracking/benchmarks/bench_statistics.py

Issue 6: "statistics are set-based; note how long they take for 100,000 obligations".
25,000 enterprises × 2026 Q1..Q4 = 100,000 obligations over 14 agencies and 50 regions,
about 80% reported (80,000 reports with revenue, R&D and employees). Timed: the ONE SQL
statement behind `GET /tracking/statistics` (counts, on-time rate, sums, medians,
quarter-on-quarter growth) for the province by region and by industry and for one agency,
over the whole year and over one quarter; and the Excel workbook of the province's year.
Each figure is the median of 5 runs after a warm-up.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from fixtures import bench_database, load

from shared.platform.auth.principal import Principal, Role
from tracking.adapters.statistics import GroupBy, quarterly_statistics
from tracking.adapters.statistics_xlsx import write_statistics

PROVINCE = Principal(sub="bench", role=Role.PROVINCE, org="150000")
AGENCY = Principal(sub="bench", role=Role.AGENCY, org="150200")
YEAR = (2026 * 4, 2026 * 4 + 3)
Q3 = (2026 * 4 + 2, 2026 * 4 + 2)


async def timed(call: Callable[[], Awaitable[Any]], runs: int = 5) -> tuple[float, Any]:
    result = await call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = await call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


async def main() -> None:
    async with bench_database() as db:
        loaded = await load(db, reports=0.8)
        print(f"loaded {loaded}")
        cases = [
            ("province, whole year, by region", PROVINCE, GroupBy.REGION, YEAR),
            ("province, whole year, by industry", PROVINCE, GroupBy.INDUSTRY, YEAR),
            ("province, Q3 only, by region", PROVINCE, GroupBy.REGION, Q3),
            ("one agency (150200), whole year, by region", AGENCY, GroupBy.REGION, YEAR),
        ]
        results = {}
        for label, principal, group_by, quarters in cases:

            async def query(
                p: Principal = principal, g: GroupBy = group_by, q: tuple[int, int] = quarters
            ) -> Any:
                async with db.sessions() as session:
                    return await quarterly_statistics(session, p, g, *q)

            seconds, results[label] = await timed(query)
            rows = len(results[label])
            print(f"statistics query, {label}: {seconds * 1000:7.1f} ms ({rows} rows)")

        start = time.perf_counter()
        write_statistics(results[cases[0][0]], GroupBy.REGION, "bench").close()
        elapsed = (time.perf_counter() - start) * 1000
        print(f"Excel workbook of the province's year by region: {elapsed:.1f} ms")


if __name__ == "__main__":
    asyncio.run(main())
