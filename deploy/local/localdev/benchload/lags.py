"""What the databases recorded: when each event was written (outbox `created_at`, the
writing transaction's start), published (`published_at`, set by the relay) and handled by
each consumer (`inbox.handled_at`, in the consumer's own database). Tables:
shared/platform/db/metadata.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from localdev.benchload.stats import Summary, rate


@dataclass(frozen=True)
class ConsumerLag:
    consumer: str
    event_type: str
    lag: Summary | None  # outbox created_at → inbox handled_at
    handled: int
    drain_per_second: float  # events handled / (last handled - first handled)


@dataclass(frozen=True)
class EventTimes:
    relay: Summary | None  # created_at → published_at
    consumers: list[ConsumerLag]
    written: int


async def _outbox_rows(
    url: str, event_type: str, since: datetime
) -> dict[str, tuple[datetime, datetime | None]]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT event_id::text AS id, created_at, published_at FROM outbox"
            " WHERE event_type = $1 AND created_at >= $2",
            event_type,
            since,
        )
    finally:
        await conn.close()
    return {r["id"]: (r["created_at"], r["published_at"]) for r in rows}


async def _inbox_rows(url: str, event_ids: list[str]) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(url)
    try:
        return list(
            await conn.fetch(
                "SELECT consumer, event_id, handled_at FROM inbox WHERE event_id = ANY($1::text[])",
                event_ids,
            )
        )
    finally:
        await conn.close()


async def event_times(
    producer_url: str, consumer_urls: list[str], event_type: str, since: datetime
) -> EventTimes:
    """Relay and per-consumer lag of every `event_type` event the producer wrote since `since`."""
    written = await _outbox_rows(producer_url, event_type, since)
    relay = [
        (published - created).total_seconds()
        for created, published in written.values()
        if published is not None
    ]
    handled: dict[str, list[tuple[datetime, float]]] = defaultdict(list)
    for url in consumer_urls:
        for row in await _inbox_rows(url, list(written)):
            created = written[row["event_id"]][0]
            handled[row["consumer"]].append(
                (row["handled_at"], (row["handled_at"] - created).total_seconds())
            )
    consumers = []
    for consumer, samples in sorted(handled.items()):
        times = [at for at, _ in samples]
        window = (max(times) - min(times)).total_seconds()
        consumers.append(
            ConsumerLag(
                consumer,
                event_type,
                Summary.of([lag for _, lag in samples]),
                len(samples),
                rate(len(samples) - 1, window),
            )
        )
    return EventTimes(Summary.of(relay), consumers, len(written))


async def count(url: str, sql: str, *args: object) -> int:
    conn = await asyncpg.connect(url)
    try:
        value = await conn.fetchval(sql, *args)
    finally:
        await conn.close()
    return int(value or 0)


async def case_ids(review_url: str, application_ids: list[str]) -> dict[str, str]:
    """application id → review case id, for the cases review has opened so far."""
    conn = await asyncpg.connect(review_url)
    try:
        rows = await conn.fetch(
            "SELECT application_id::text AS app, id::text AS case_id FROM review_case"
            " WHERE application_id = ANY($1::uuid[])",
            application_ids,
        )
    finally:
        await conn.close()
    return {r["app"]: r["case_id"] for r in rows}
