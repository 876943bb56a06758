"""Transactional outbox writer (architecture.md guarantee 1).

Events are rows in the service's own database, inserted in the same transaction as the
state change they describe; the relay publishes them after commit. A rolled-back
transaction therefore never publishes anything.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.metadata import outbox
from shared.events.envelope import STRUCTURED_CONTENT_TYPE, EventPayload, encode_event
from shared.events.topics import with_prefix
from shared.observability.context import current_traceparent

NOTIFY_CHANNEL = "outbox"
# From this many rows on, one COPY beats a multi-row INSERT (announcements, overdue runs).
COPY_THRESHOLD = 500
_COLUMNS = ("event_id", "topic", "key", "event_type", "envelope", "headers")


class Outbox:
    """Bound to one session (one business transaction)."""

    def __init__(self, session: AsyncSession, *, source: str, topic_prefix: str = "") -> None:
        self._session = session
        self._source = source
        self._prefix = topic_prefix

    def _row(self, payload: EventPayload, traceparent: str | None) -> dict[str, Any]:
        event_id, wire = encode_event(payload, source=self._source)
        # Structured content mode (contract.md "Events"): the content type names it; no
        # `ce_` header, which every CloudEvents SDK would read as binary mode.
        headers = {"content-type": STRUCTURED_CONTENT_TYPE}
        if traceparent:
            headers["traceparent"] = traceparent
        return {
            "event_id": event_id,
            "topic": with_prefix(payload.topic, self._prefix),
            "key": payload.partition_key(),
            "event_type": payload.event_type,
            "envelope": wire,
            "headers": headers,
        }

    async def add(self, payload: EventPayload) -> str:
        """Queue one event; returns its id."""
        row = self._row(payload, current_traceparent())
        await self._session.execute(insert(outbox).values(**row))
        await self._notify()
        return str(row["event_id"])

    async def add_many(self, payloads: Sequence[EventPayload]) -> list[str]:
        """Queue many events in one statement (one COPY for large batches); returns their ids."""
        if not payloads:
            return []
        traceparent = current_traceparent()
        rows = [self._row(p, traceparent) for p in payloads]
        # NOTIFY first: it is the statement that makes SQLAlchemy's asyncpg adapter open the
        # database transaction, which the raw COPY below must run inside.
        await self._notify()
        if len(rows) >= COPY_THRESHOLD:
            await self._copy(rows)
        else:
            await self._session.execute(insert(outbox), rows)
        return [str(r["event_id"]) for r in rows]

    async def _copy(self, rows: list[dict[str, Any]]) -> None:
        # The session's own connection, so the rows belong to the business transaction
        # (already open: see add_many).
        connection = await self._session.connection()
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        await driver.copy_records_to_table(
            "outbox",
            columns=_COLUMNS,
            records=[
                (
                    uuid.UUID(r["event_id"]),
                    r["topic"],
                    r["key"],
                    r["event_type"],
                    r["envelope"],
                    orjson.dumps(r["headers"]).decode(),
                )
                for r in rows
            ],
        )

    async def _notify(self) -> None:
        # Delivered by PostgreSQL only when the transaction commits: the relay wakes up
        # exactly when there is something committed to publish. Sent on every call (not
        # once per transaction) so it also opens the transaction before a raw COPY.
        await self._session.execute(text(f"NOTIFY {NOTIFY_CHANNEL}"))
