"""What the databases recorded: when each event's transaction committed, when it was
published (`published_at`, set by the relay) and handled by each consumer
(`inbox.handled_at`, in the consumer's own database). Tables: shared/platform/db/metadata.py.

The commit is PostgreSQL's own record of it, `pg_xact_commit_timestamp` of the row's
`txid` (the local server runs with `track_commit_timestamp=on`). A server without it gives
`outbox.created_at`, the transaction's start, which also counts the writing transaction's
own duration; `EventTimes.since` says which one the numbers start at.
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
    lag: Summary | None  # committed → inbox handled_at
    handled: int
    drain_per_second: float  # events handled / (last handled - first handled)


@dataclass(frozen=True)
class EventTimes:
    relay: Summary | None  # committed → published_at
    consumers: list[ConsumerLag]
    written: int
    since: str = "commit"  # or "transaction start" (a server not tracking commit times)


# The row's transaction as the 32-bit xid the commit-timestamp function takes.
_COMMITTED_AT = "pg_xact_commit_timestamp((txid::text::bigint % 4294967296)::text::xid)"


async def _outbox_rows(
    url: str, event_type: str, since: datetime
) -> tuple[dict[str, tuple[datetime, datetime | None]], str]:
    conn = await asyncpg.connect(url)
    try:
        tracked = await conn.fetchval("SELECT current_setting('track_commit_timestamp')") == "on"
        start = _COMMITTED_AT if tracked else "created_at"
        rows = await conn.fetch(
            f"SELECT event_id::text AS id, {start} AS start, published_at FROM outbox"  # noqa: S608 (constants)
            " WHERE event_type = $1 AND created_at >= $2",
            event_type,
            since,
        )
    finally:
        await conn.close()
    return (
        {r["id"]: (r["start"], r["published_at"]) for r in rows},
        "commit" if tracked else "transaction start",
    )


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
    written, start = await _outbox_rows(producer_url, event_type, since)
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
    return EventTimes(Summary.of(relay), consumers, len(written), start)


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
