"""Transactional outbox writer (architecture.md guarantee 1).

Events are rows in the service's own database, inserted in the same transaction as the
state change they describe; the relay publishes them after commit. A rolled-back
transaction therefore never publishes anything.

A unit of work's outbox is deferred: it keeps the rows until the unit of work ends, which
writes them with the audit records and the relay's NOTIFY in one statement (one round trip
instead of three per command; see `UnitOfWork.flush`). A key's events are then numbered
in the order their transactions reach their end, the order the changes became visible.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.kernel.events.envelope import STRUCTURED_CONTENT_TYPE, EventPayload, encode_event
from shared.kernel.events.topics import with_prefix
from shared.platform.db.bulk import array_insert, as_arrays
from shared.platform.db.deferred import DeferredRows
from shared.platform.db.metadata import outbox
from shared.platform.observability.context import current_traceparent

NOTIFY_CHANNEL = "outbox"
# From this many rows on, one COPY beats a multi-row INSERT (announcements, overdue runs).
COPY_THRESHOLD = 500
_COLUMNS = ("event_id", "topic", "key", "event_type", "envelope", "headers")
# Any number of rows in one statement compiled once (`shared.platform.db.bulk`).
INSERT_ROWS = array_insert(outbox, _COLUMNS)


class Outbox:
    """Bound to one session (one business transaction)."""

    def __init__(
        self,
        session: AsyncSession,
        *,
        source: str,
        topic_prefix: str = "",
        deferred: bool = False,
    ) -> None:
        self._session = session
        self._source = source
        self._prefix = topic_prefix
        self._deferred = DeferredRows(session) if deferred else None

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
        if self._deferred is not None:
            self._deferred.add(row)
        else:
            await self._session.execute(insert(outbox).values(**row))
            await self._notify()
        return str(row["event_id"])

    async def add_many(self, payloads: Sequence[EventPayload]) -> list[str]:
        """Queue many events in one statement (one COPY for large batches); returns their ids."""
        if not payloads:
            return []
        traceparent = current_traceparent()
        rows = [self._row(p, traceparent) for p in payloads]
        if self._deferred is not None:
            for row in rows:
                self._deferred.add(row)
            return [str(r["event_id"]) for r in rows]
        await self.write(rows)
        return [str(r["event_id"]) for r in rows]

    def take_pending(self) -> list[dict[str, Any]]:
        """The deferred rows, in the order they were added; the caller writes them."""
        return self._deferred.take() if self._deferred is not None else []

    @staticmethod
    def array_parameters(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
        """The parameters of `INSERT_ROWS` for `rows` (fewer than `COPY_THRESHOLD`)."""
        return as_arrays(outbox, _COLUMNS, rows)

    async def write(self, rows: list[dict[str, Any]]) -> None:
        """Write `rows` now, with the NOTIFY: one COPY from `COPY_THRESHOLD` rows on."""
        # NOTIFY first: it is the statement that makes SQLAlchemy's asyncpg adapter open the
        # database transaction, which the raw COPY below must run inside.
        await self._notify()
        if len(rows) >= COPY_THRESHOLD:
            await self.copy(rows)
        else:
            await self._session.execute(insert(outbox), rows)

    async def copy(self, rows: list[dict[str, Any]]) -> None:
        """COPY `rows` in the session's transaction, which must already be open."""
        # The session's own connection, so the rows belong to the business transaction
        # (opened by a statement before: see `write`).
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
