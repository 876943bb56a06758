"""Outbox relay: publishes committed outbox rows to Kafka (architecture.md guarantees 1 and 3).

- Claims unsent rows with `FOR UPDATE SKIP LOCKED`, so several replicas can run relays.
- Keeps per-key order even with several relays: a relay publishes, for each key, only the
  unbroken run of that key's oldest unsent rows that it holds itself; a key whose oldest
  unsent row is held by another relay is left alone this round.
- Within a batch it sends in waves: the first row of every key, await the acks, then the
  second row of every key, and so on. A failed row stops its key for this round, so a
  later event of the same enterprise can never overtake an earlier one.
- Marks rows sent only after the broker acknowledged them (acks=all, idempotent producer).
- Wakes on LISTEN/NOTIFY and falls back to polling; recreates the producer after an outage.
  The wake-up is cleared before a round, not after, so a NOTIFY that arrives while a round
  runs starts the next one at once instead of waiting for the poll.
- One round is one claim statement (the claimed rows and the pending ids of their keys
  together), the sends (all of a wave in flight at once, one await for the acks), one
  UPDATE and the COMMIT; the backlog gauges are refreshed at most once a second.
- Sends structured content mode only (`wire_headers`): rows written before the wire change
  still carry `ce_type`/`ce_id`, which are dropped at publish.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import (
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    RecordTooLargeError,
)
from sqlalchemy import text

from shared.kernel.events.envelope import STRUCTURED_CONTENT_TYPE
from shared.platform.db.engine import Database, asyncpg_dsn
from shared.platform.messaging.outbox import NOTIFY_CHANNEL
from shared.platform.messaging.shared_probe import SharedProbe
from shared.platform.observability.metrics import ServiceMetrics
from shared.platform.observability.tracing import stored_context

log = logging.getLogger("shared.platform.messaging.relay")

# Only rows whose transaction is older than every transaction still running in this
# database (`horizon`): ids are handed out before commit, so without this a later id could
# be published while an earlier one of the same enterprise is still being written.
# With them, in the same statement, all pending rows of the claimed keys up to the highest
# claimed id, locked by anyone (`mine` false: held by another relay).
#
# The horizon is the oldest in-flight transaction of the statement's snapshot, leaving out
# those seen running in another database: a backend never changes database, so they can
# never write a row here. PostgreSQL's own `pg_snapshot_xmin` is server-wide; with the four
# services' databases on one server, any long transaction of one service (an announcement
# of 20,000 cases in review) held back every other service's relay until it ended. A
# transaction whose database we cannot see (`backend_xid` is shown only to the session's
# role, superusers and pg_read_all_stats) or that ended meanwhile still counts: unknown
# means "may be ours", the old, safe answer.
_CLAIM = text("""
    WITH horizon AS (
        SELECT coalesce(min(x), pg_snapshot_xmax(pg_current_snapshot())) AS xid
        FROM pg_snapshot_xip(pg_current_snapshot()) AS x
        WHERE (x::text::bigint % 4294967296)::text::xid NOT IN (
            SELECT backend_xid FROM pg_stat_activity
            WHERE backend_xid IS NOT NULL
              AND datid <> (SELECT oid FROM pg_database WHERE datname = current_database())
        )
    ), claimed AS (
        SELECT id, topic, key, envelope, headers FROM outbox
        WHERE published_at IS NULL AND parked_at IS NULL
          AND txid < (SELECT xid FROM horizon)
        ORDER BY id
        LIMIT :limit
        FOR UPDATE SKIP LOCKED
    )
    SELECT o.id, o.key, c.topic, c.envelope, c.headers, c.id IS NOT NULL AS mine
    FROM outbox o LEFT JOIN claimed c ON c.id = o.id
    WHERE o.published_at IS NULL AND o.parked_at IS NULL
      AND o.key IN (SELECT key FROM claimed) AND o.id <= (SELECT max(id) FROM claimed)
    ORDER BY o.id
""")

_BACKLOG_EVERY = 1.0  # seconds between refreshes of the backlog gauges
_PROBE_FRESH_SECONDS = 1.0  # a broker probe's answer serves every /healthz of the next second
_MARK_PARKED = text(
    "UPDATE outbox SET parked_at = now(), attempts = attempts + 1, last_error = :error "
    "WHERE id = ANY(:ids)"
)
_MARK_SENT = text(
    "UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY(:ids)"
)
_MARK_FAILED = text(
    "UPDATE outbox SET attempts = attempts + 1, last_error = :error WHERE id = ANY(:ids)"
)
_BACKLOG = text(
    "SELECT count(*) FILTER (WHERE parked_at IS NULL),"
    " count(*) FILTER (WHERE parked_at IS NOT NULL),"
    " coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE parked_at IS NULL)), 0)"
    " FROM outbox WHERE published_at IS NULL"
)
# The broker will never take these: retrying blindly would block the key forever.
_PERMANENT = (MessageSizeTooLargeError, RecordTooLargeError, RecordListTooLargeError)


@dataclass(frozen=True, slots=True)
class _Row:
    id: int
    topic: str
    key: str
    envelope: bytes
    headers: dict[str, str]


@dataclass
class _WaveOutcome:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    parked: list[int] = field(default_factory=list)
    error: str = ""
    parked_error: str = ""


def _outcome(queued: asyncio.Future[object] | BaseException) -> BaseException | None:
    if isinstance(queued, BaseException):
        return queued
    if not queued.done():
        queued.cancel()
        return TimeoutError("no acknowledgement from the broker in time")
    if queued.cancelled():
        return asyncio.CancelledError("send cancelled")
    return queued.exception()


def wire_headers(stored: dict[str, str] | None) -> list[tuple[str, bytes]]:
    """The Kafka headers of an outbox row as published (pure, unit-tested).

    The value is always the whole envelope, so the message must say structured mode: a
    `ce_` header would make every CloudEvents SDK read it as binary mode (contract.md
    "Events"). Rows queued before that rule keep their old `ce_type`/`ce_id` headers in
    the database; they are dropped here and the content type is added.
    """
    headers = [
        (name, str(value).encode())
        for name, value in (stored or {}).items()
        if not name.lower().startswith("ce_") and name.lower() != "content-type"
    ]
    return [("content-type", STRUCTURED_CONTENT_TYPE.encode()), *headers]


def publishable_runs(claimed: list[_Row], unsent: list[tuple[int, str]]) -> list[list[_Row]]:
    """Per key, the rows this relay may publish now, oldest first (pure, unit-tested)."""
    mine = {row.id: row for row in claimed}
    by_key: dict[str, list[int]] = defaultdict(list)
    for row_id, key in unsent:
        by_key[key].append(row_id)
    runs: list[list[_Row]] = []
    for ids in by_key.values():
        run: list[_Row] = []
        for row_id in ids:  # ascending
            if row_id not in mine:
                break  # an older row of this key is held elsewhere (or newer, not claimed)
            run.append(mine[row_id])
        if run:
            runs.append(run)
    return runs


class OutboxRelay:
    def __init__(
        self,
        db: Database,
        producer_factory: Callable[[], AIOKafkaProducer],
        metrics: ServiceMetrics,
        *,
        poll_interval: float = 1.0,
        batch_size: int = 200,
        send_timeout: float = 15.0,
    ) -> None:
        self._db = db
        self._producer_factory = producer_factory
        self._metrics = metrics
        self._poll_interval = poll_interval
        self._batch_size = batch_size
        self._send_timeout = send_timeout
        self._producer: AIOKafkaProducer | None = None
        self._wakeup = asyncio.Event()
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._listener: asyncpg.Connection | None = None
        self._outage_logged = False
        self._backlog_at = 0.0
        self._reachability = SharedProbe(fresh_for=_PROBE_FRESH_SECONDS)

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        self._stopping.set()
        self._wakeup.set()
        if self._task is not None:
            # The batch in hand finishes (rows are marked or left unsent, never half-marked).
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._close_listener()
        await self._close_producer()

    async def broker_reachable(self, within: float = 2.0) -> bool:
        """A real metadata round trip to the broker, not a flag the relay keeps; its answer
        is shared by the callers of the next `_PROBE_FRESH_SECONDS` (`SharedProbe`)."""

        async def probe() -> bool:
            producer = self._producer
            if producer is None:
                return False
            try:
                await asyncio.wait_for(producer.client.fetch_all_metadata(), within)
            except Exception:
                return False
            return True

        return await self._reachability.answer(probe)

    # -- loop -----------------------------------------------------------------------------
    async def _run(self) -> None:
        while not self._stopping.is_set():
            await self._ensure_listener()
            # Connect eagerly so readiness reflects the broker even when nothing is queued.
            await self._ensure_producer()
            # Cleared before the round: a NOTIFY during it leaves the event set.
            self._wakeup.clear()
            try:
                published = await self.publish_pending()
            except Exception:
                log.exception("outbox relay round failed")
                published = 0
            await self._update_backlog()
            if published:
                continue  # more may be waiting
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), self._poll_interval)

    async def publish_pending(self) -> int:
        """Publish everything currently publishable; returns the number of rows sent."""
        total = 0
        while not self._stopping.is_set():
            sent = await self._publish_batch()
            total += sent
            if sent == 0:
                break
        return total

    async def _publish_batch(self) -> int:
        async with self._db.sessions() as session, session.begin():
            found = (await session.execute(_CLAIM, {"limit": self._batch_size})).all()
            rows = [_Row(r.id, r.topic, r.key, r.envelope, r.headers) for r in found if r.mine]
            if not rows:
                return 0
            runs = publishable_runs(rows, [(r.id, r.key) for r in found])
            if not runs:
                return 0
            producer = await self._ensure_producer()
            if producer is None:
                return 0
            outcome = await self._send_in_waves(producer, runs)
            sent_ids, failed_ids, error = outcome.sent, outcome.failed, outcome.error
            if sent_ids:
                await session.execute(_MARK_SENT, {"ids": sent_ids})
            if failed_ids:
                await session.execute(_MARK_FAILED, {"ids": failed_ids, "error": error[:2000]})
            if outcome.parked:
                await session.execute(
                    _MARK_PARKED, {"ids": outcome.parked, "error": outcome.parked_error[:2000]}
                )
        if outcome.parked:
            self._metrics.outbox_parked.inc(len(outcome.parked))
            log.error(
                "outbox rows refused by the broker for good; parked for an operator",
                extra={"ids": outcome.parked, "error": outcome.parked_error[:500]},
            )
        if failed_ids:
            self._metrics.outbox_failures.inc(len(failed_ids))
            await self._close_producer()  # recreate after an outage or a fenced producer
            self._report_outage(error)
        elif self._outage_logged:
            log.info("outbox relay publishing again")
            self._outage_logged = False
        self._backlog_at = 0.0
        return len(sent_ids)

    async def _send_in_waves(
        self, producer: AIOKafkaProducer, runs: list[list[_Row]]
    ) -> _WaveOutcome:
        outcome = _WaveOutcome()
        active = [list(run) for run in runs]
        while active:
            wave = [run.pop(0) for run in active]
            results = await self._send_wave(producer, wave)
            still: list[list[_Row]] = []
            for run, row, result in zip(active, wave, results, strict=True):
                if isinstance(result, _PERMANENT):
                    # Never publishable as it is: park it (like a dead letter) so the key's
                    # later events are not held back forever.
                    outcome.parked.append(row.id)
                    outcome.parked_error = f"{type(result).__name__}: {result}"
                elif isinstance(result, BaseException):
                    outcome.failed.append(row.id)
                    outcome.error = f"{type(result).__name__}: {result}"
                    continue  # the rest of this key waits for the next round
                else:
                    outcome.sent.append(row.id)
                    self._metrics.outbox_published.labels(topic=row.topic).inc()
                if run:
                    still.append(run)
            active = still
        return outcome

    async def _send_wave(
        self, producer: AIOKafkaProducer, wave: list[_Row]
    ) -> list[BaseException | None]:
        """Queue every row of the wave (the producer batches them per partition), then wait
        once for all acknowledgements; each row's outcome: None (acknowledged) or its error."""
        queued: list[asyncio.Future[object] | BaseException] = []
        for row in wave:
            try:
                async with asyncio.timeout(self._send_timeout):
                    with stored_context(row.headers):  # the send span joins the writer's trace
                        queued.append(
                            await producer.send(
                                row.topic,
                                value=row.envelope,
                                key=row.key.encode(),
                                headers=wire_headers(row.headers),
                            )
                        )
            except Exception as exc:
                queued.append(exc)
        futures = [f for f in queued if isinstance(f, asyncio.Future)]
        if futures:
            await asyncio.wait(futures, timeout=self._send_timeout)
        return [_outcome(f) for f in queued]

    # -- producer -------------------------------------------------------------------------
    async def _ensure_producer(self) -> AIOKafkaProducer | None:
        if self._producer is not None:
            return self._producer
        producer = self._producer_factory()
        try:
            await asyncio.wait_for(producer.start(), self._send_timeout)
        except Exception as exc:
            with contextlib.suppress(Exception):
                await producer.stop()
            self._report_outage(f"{type(exc).__name__}: {exc}")
            return None
        self._producer = producer
        return producer

    async def _close_producer(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(producer.stop(), 10)

    def _report_outage(self, error: str) -> None:
        if not self._outage_logged:
            log.warning(
                "outbox relay cannot publish; rows stay in the outbox", extra={"error": error}
            )
            self._outage_logged = True

    # -- wake-ups -------------------------------------------------------------------------
    async def _ensure_listener(self) -> None:
        if self._listener is not None and not self._listener.is_closed():
            return
        try:
            url = self._db.engine.url.render_as_string(hide_password=False)
            conn = await asyncpg.connect(asyncpg_dsn(url), timeout=5)
            await conn.add_listener(NOTIFY_CHANNEL, lambda *_: self._wakeup.set())
            self._listener = conn
        except Exception as exc:
            log.warning("outbox LISTEN unavailable; polling", extra={"error": str(exc)})
            self._listener = None

    async def _close_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None and not listener.is_closed():
            with contextlib.suppress(Exception):
                await listener.close(timeout=5)

    async def _update_backlog(self) -> None:
        now = asyncio.get_running_loop().time()
        if now - self._backlog_at < _BACKLOG_EVERY:
            return
        self._backlog_at = now
        with contextlib.suppress(Exception):
            async with self._db.engine.connect() as conn:
                pending, parked, oldest = (await conn.execute(_BACKLOG)).one()
            self._metrics.outbox_backlog.set(pending)
            self._metrics.outbox_oldest_unsent.set(float(oldest))
            self._metrics.outbox_parked_rows.set(parked)
