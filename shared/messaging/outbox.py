"""Transactional outbox writer (architecture.md guarantee 1).

Events are rows in the service's own database, inserted in the same transaction as the
state change they describe; the relay publishes them after commit. A rolled-back
transaction therefore never publishes anything.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.metadata import outbox
from shared.events.envelope import CloudEvent, EventPayload
from shared.events.topics import with_prefix
from shared.observability.context import current_traceparent

NOTIFY_CHANNEL = "outbox"


class Outbox:
    """Bound to one session (one business transaction)."""

    def __init__(self, session: AsyncSession, *, source: str, topic_prefix: str = "") -> None:
        self._session = session
        self._source = source
        self._prefix = topic_prefix
        self._notified = False

    def _row(self, payload: EventPayload) -> tuple[CloudEvent, dict[str, object]]:
        event = CloudEvent.wrap(payload, source=self._source)
        headers = {"ce_type": event.type, "ce_id": event.id}
        traceparent = current_traceparent()
        if traceparent:
            headers["traceparent"] = traceparent
        return event, {
            "event_id": event.id,
            "topic": with_prefix(payload.topic, self._prefix),
            "key": payload.partition_key(),
            "event_type": event.type,
            "envelope": event.to_json_bytes(),
            "headers": headers,
        }

    async def add(self, payload: EventPayload) -> CloudEvent:
        event, row = self._row(payload)
        await self._session.execute(insert(outbox).values(**row))
        await self._notify()
        return event

    async def add_many(self, payloads: Sequence[EventPayload]) -> list[CloudEvent]:
        """One multi-row INSERT for batch work (e.g. announcing a publicity batch)."""
        if not payloads:
            return []
        pairs = [self._row(p) for p in payloads]
        await self._session.execute(insert(outbox), [row for _, row in pairs])
        await self._notify()
        return [event for event, _ in pairs]

    async def _notify(self) -> None:
        # Delivered by PostgreSQL only when the transaction commits: the relay wakes up
        # exactly when there is something committed to publish.
        if not self._notified:
            await self._session.execute(text(f"NOTIFY {NOTIFY_CHANNEL}"))
            self._notified = True
