"""Event consumer with an inbox (architecture.md guarantees 2 and 4).

It fetches many records at once and handles each partition's share in its own task (a few
partitions at a time). Per partition: parse each CloudEvent (either content mode:
`kafka_binding`), find the handler for its type, and in ONE database transaction record
every event id in the inbox (one statement; the rows it inserts are the new events) and
apply the handlers of the new ones in offset order — a run of one type at once when its
handler takes batches (`handler_registry.in_batches`). Offsets are committed to Kafka only
after that transaction committed, so a crash in between redelivers the batch and the inbox
turns the second delivery into a no-op.

A handler failing on the data rolls the batch back; the batch is halved and retried until
the failing record is alone, so the records before and after it are applied once and only
it goes through the retries below.

A message that cannot be parsed or has a type no one knows, or whose handler keeps failing
after bounded retries with backoff, goes to `<topic>.dlq.<service>` with the error in its
headers (and into the `dead_letter` table, where it can be listed and replayed); the
consumer moves on. An unreachable database is not the message's fault: it is retried until
the database is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import MessageSizeTooLargeError
from pydantic import ValidationError
from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as pg_insert

from shared.kernel.events.catalog import payload_class
from shared.kernel.events.envelope import CloudEvent, EventPayload
from shared.kernel.events.topics import dead_letter_topic, with_prefix
from shared.platform.db.audit import Actor
from shared.platform.db.engine import Database
from shared.platform.db.metadata import dead_letter
from shared.platform.db.outage import is_database_outage
from shared.platform.messaging import kafka_binding
from shared.platform.messaging.handler_registry import (
    Handler,
    HandlerRegistry,
    Received,
    Registration,
)
from shared.platform.messaging.unit_of_work import UnitOfWork, UnitOfWorkFactory
from shared.platform.observability.context import child_traceparent, event_id_var, traceparent_var
from shared.platform.observability.metrics import ServiceMetrics
from shared.platform.observability.tracing import consumer_span
from shared.platform.settings import CONSUMER_MAX_BATCH, CONSUMER_PARTITION_CONCURRENCY

log = logging.getLogger("shared.platform.messaging.consumer")

# The defaults of the settings of the same names (shared.platform.settings).
MAX_BATCH = CONSUMER_MAX_BATCH
PARTITION_CONCURRENCY = CONSUMER_PARTITION_CONCURRENCY

# All of a batch's inbox rows in one statement; the rows it returns are the new events.
_RECORD_IN_INBOX = text("""
    INSERT INTO inbox (consumer, event_source, event_id, event_type, topic, partition, "offset")
    SELECT :consumer, u.source, u.id, u.type, u.topic, u.partition, u.offset
    FROM unnest(
        CAST(:sources AS text[]), CAST(:ids AS text[]), CAST(:types AS text[]),
        CAST(:topics AS text[]), CAST(:partitions AS int[]), CAST(:offsets AS bigint[])
    ) AS u(source, id, type, topic, partition, "offset")
    ON CONFLICT DO NOTHING
    RETURNING event_source, event_id
""")


__all__ = ["EventConsumer", "Handler", "HandlerRegistry", "Message", "Received"]


class HandlingAbandoned(Exception):
    """Stopped mid-batch because the database is unreachable: `offset` is the first record
    not handled, from where the partition's offset is not committed."""

    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(reason)
        self.offset = offset


class PoisonMessage(Exception):
    """The message can never be handled (unparseable or schema-invalid): no retries."""


@dataclass(frozen=True, slots=True)
class Message:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...]

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key == name:
                return value.decode(errors="replace")
        return None


@dataclass(frozen=True, slots=True)
class _Decoded:
    """A record that parsed, validated and has a handler here."""

    message: Message
    event: CloudEvent
    payload: EventPayload
    registration: Registration[Any]

    @property
    def identity(self) -> tuple[str, str]:
        return self.event.source, self.event.id


def _is_infrastructure_error(error: BaseException) -> bool:
    """Errors that say the database is unreachable, not that the message is bad: retried
    until the database is back instead of counting against the message."""
    if is_database_outage(error):  # the web layer's 503s and this agree (shared.platform.db.outage)
        return True
    if isinstance(error, sa_exc.DBAPIError):
        return bool(error.connection_invalidated) or isinstance(
            error, (sa_exc.OperationalError, sa_exc.InterfaceError)
        )
    # Pool exhaustion, and a refused or dropped connection before SQLAlchemy wraps it.
    return isinstance(error, (sa_exc.TimeoutError, ConnectionError))


class EventConsumer:
    def __init__(
        self,
        *,
        service: str,
        db: Database,
        uow_factory: UnitOfWorkFactory,
        registry: HandlerRegistry,
        metrics: ServiceMetrics,
        consumer_factory: Callable[[list[str], str], AIOKafkaConsumer],
        producer_factory: Callable[[], AIOKafkaProducer],
        topic_prefix: str = "",
        max_attempts: int = 4,
        retry_backoff: float = 0.2,
        fault_injection: str | None = None,
        max_batch: int = MAX_BATCH,
        partition_concurrency: int = PARTITION_CONCURRENCY,
    ) -> None:
        self.service = service
        # Consumer groups `<service>.<purpose>`; a test stack's topic prefix isolates its
        # group too, so parallel stacks never rebalance each other.
        self.group_id = f"{topic_prefix}{service}.events"
        self._db = db
        self._uow = uow_factory
        self._registry = registry
        self._metrics = metrics
        self._consumer_factory = consumer_factory
        self._producer_factory = producer_factory
        self._prefix = topic_prefix
        self._max_attempts = max_attempts
        self._backoff = retry_backoff
        self._fault = fault_injection
        self._max_batch = max_batch
        self._partition_concurrency = partition_concurrency
        self._consumer: AIOKafkaConsumer | None = None
        self._dlq_producer: AIOKafkaProducer | None = None
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._actor = Actor.system(service)
        self._last_lag_update = 0.0
        self.assigned = False

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"consumer-{self.group_id}")

    async def stop(self) -> None:
        """Drain: finish the batch in hand, commit its offsets, close."""
        self._stopping.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._dlq_producer is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._dlq_producer.stop(), 10)

    @property
    def connected(self) -> bool:
        return self._consumer is not None

    def _topics(self) -> list[str]:
        return [with_prefix(t, self._prefix) for t in self._registry.topics()]

    def _unprefixed(self, topic: str) -> str:
        return (
            topic[len(self._prefix) :] if self._prefix and topic.startswith(self._prefix) else topic
        )

    # -- loop -----------------------------------------------------------------------------
    async def _run(self) -> None:
        delay = 0.5
        while not self._stopping.is_set():
            consumer = self._consumer_factory(self._topics(), self.group_id)
            try:
                await consumer.start()
            except Exception as exc:
                log.warning("consumer cannot reach Kafka; retrying", extra={"error": str(exc)})
                with contextlib.suppress(Exception):
                    await consumer.stop()
                await self._sleep(delay)
                delay = min(delay * 2, 10)
                continue
            self._consumer = consumer
            delay = 0.5
            try:
                await self._consume(consumer)
            except Exception:
                # e.g. a fatal fetch error after a long outage: start a fresh consumer; the
                # uncommitted messages come again and the inbox absorbs the repeats.
                log.exception("consumer loop failed; restarting")
                await self._sleep(1)
            finally:
                self._consumer = None
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(consumer.stop(), 15)

    async def _consume(self, consumer: AIOKafkaConsumer) -> None:
        slots = asyncio.Semaphore(self._partition_concurrency)
        while not self._stopping.is_set():
            batches = await consumer.getmany(timeout_ms=500, max_records=self._max_batch)
            self.assigned = bool(consumer.assignment())
            # One task per partition: partitions never share a key, so they may go at once;
            # within one, records keep their offset order.
            tasks = [
                asyncio.create_task(self._partition(consumer, tp, records, slots))
                for tp, records in batches.items()
            ]
            if tasks:
                # Shielded: shutdown never interrupts a batch between its database commit
                # and its offset commit. Every task ends before the loop goes on.
                results = await asyncio.shield(asyncio.gather(*tasks, return_exceptions=True))
                for result in results:
                    if isinstance(result, BaseException):
                        raise result
            await self._update_lag(consumer)

    async def _partition(
        self,
        consumer: AIOKafkaConsumer,
        tp: TopicPartition,
        records: list[Any],
        slots: asyncio.Semaphore,
    ) -> None:
        messages = [
            Message(r.topic, r.partition, r.offset, r.key, r.value, tuple(r.headers or ()))
            for r in records
        ]
        async with slots:
            try:
                await self.process_batch(messages)
                next_offset = messages[-1].offset + 1
            except HandlingAbandoned as abandoned:
                next_offset = abandoned.offset
            if next_offset > messages[0].offset:
                await self._commit(consumer, tp, next_offset)

    async def _commit(self, consumer: AIOKafkaConsumer, tp: TopicPartition, offset: int) -> None:
        try:
            await consumer.commit({tp: offset})
        except Exception as exc:
            log.warning(
                "offset commit failed; messages may be redelivered",
                extra={"error": str(exc), "topic": tp.topic, "partition": tp.partition},
            )

    async def _update_lag(self, consumer: AIOKafkaConsumer) -> None:
        now = time.monotonic()
        if now - self._last_lag_update < 5:
            return
        self._last_lag_update = now
        for tp in consumer.assignment():
            highwater = consumer.highwater(tp)
            if highwater is None:
                continue
            with contextlib.suppress(Exception):
                position = await consumer.position(tp)
                self._metrics.consumer_lag.labels(topic=tp.topic, partition=str(tp.partition)).set(
                    max(highwater - position, 0)
                )

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    # -- a batch of one partition ---------------------------------------------------------
    async def process_batch(self, messages: list[Message]) -> None:
        """Handle one partition's records, in offset order, in as few transactions as the
        handlers allow: all together when they succeed; a failing batch is halved until the
        record that fails is alone, and that record alone goes to the dead-letter topic.
        Raises `HandlingAbandoned` (with the first record not done) when shutting down
        while the database is unreachable."""
        items: list[_Decoded] = []
        for message in messages:
            decoded = await self._decode(message)
            if isinstance(decoded, _Decoded):
                items.append(decoded)
        if items:
            await self._apply_split(items)

    async def _apply_split(self, items: list[_Decoded], *, in_hand: bool = True) -> None:
        if not in_hand and self._stopping.is_set():
            # Shutting down while searching a failed batch: what is done is committed, the
            # rest comes again after the restart (nothing of it was applied).
            raise HandlingAbandoned(items[0].message.offset, "shutting down")
        if len(items) == 1:
            with _event_context(items[0]):
                await self._handle_with_retries(items[0])
            return
        if await self._apply_batch(items):
            return
        middle = len(items) // 2
        await self._apply_split(items[:middle], in_hand=False)
        await self._apply_split(items[middle:], in_hand=False)

    async def _apply_batch(self, items: list[_Decoded]) -> bool:
        """True when applied (or all duplicates); False when a handler failed on the data,
        nothing of it committed. A database outage is waited out, not counted."""
        outages = 0
        while True:
            try:
                outcomes = await self._apply(items)
            except Exception as exc:
                if not _is_infrastructure_error(exc):
                    log.warning(
                        "batch failed; splitting it to find the record at fault",
                        exc_info=True,
                        extra={"records": len(items)},
                    )
                    return False
                if self._stopping.is_set():
                    raise HandlingAbandoned(items[0].message.offset, str(exc)) from exc
                outages += 1
                log.warning(
                    "database unavailable while handling a batch; retrying",
                    extra={"records": len(items), "error": str(exc)},
                )
                await self._sleep(min(self._backoff * 2 ** min(outages, 6), 10))
                continue
            for item, outcome in zip(items, outcomes, strict=True):
                self._metrics.events_handled.labels(type=item.event.type, outcome=outcome).inc()
            return True

    # -- one message ----------------------------------------------------------------------
    async def process(self, message: Message) -> str:
        """Handle one message completely; returns the outcome (also used by replay)."""
        decoded = await self._decode(message)
        if not isinstance(decoded, _Decoded):
            return decoded
        with _event_context(decoded):
            return await self._handle_with_retries(decoded)

    async def _decode(self, message: Message) -> _Decoded | str:
        """The record ready to handle, or the outcome for one that is not: dead-lettered at
        once (it can never be handled) or ignored (another consumer's type)."""
        try:
            event, registration = self._parse(message)
        except PoisonMessage as exc:
            await self._dead_letter(message, str(exc), attempts=1)
            return "dead_letter"
        if registration is None:
            return "ignored"  # another consumer's type on a shared topic
        try:
            payload = registration.payload_cls.model_validate(event.data)
        except ValidationError as exc:
            await self._dead_letter(
                message, f"invalid data for {event.type}: {exc}", attempts=1, event=event
            )
            return "dead_letter"
        return _Decoded(message, event, payload, registration)

    def _parse(self, message: Message) -> tuple[CloudEvent, Registration[Any] | None]:
        # Structured or binary content mode, told apart and parsed by the CloudEvents SDK.
        try:
            event = kafka_binding.decode(message.value, message.key, message.headers)
        except kafka_binding.NotACloudEvent as exc:
            raise PoisonMessage(str(exc)) from exc
        registration = self._registry.get(event.type)
        if registration is None and payload_class(event.type) is None:
            # Another consumer's type on a shared topic is skipped; a type nobody knows is
            # a publisher's mistake that must be seen.
            raise PoisonMessage(f"unknown event type {event.type!r}")
        return event, registration

    async def _handle_with_retries(self, item: _Decoded) -> str:
        attempt = 0
        outages = 0
        event = item.event
        while True:
            try:
                [outcome] = await self._apply([item])
            except Exception as exc:
                if _is_infrastructure_error(exc):
                    if self._stopping.is_set():
                        # Shutting down with the database gone: leave the offset uncommitted,
                        # the message comes again after the restart.
                        raise HandlingAbandoned(item.message.offset, str(exc)) from exc
                    outages += 1  # not the message's fault: does not count as an attempt
                    log.warning(
                        "database unavailable while handling; retrying",
                        extra={"type": event.type, "error": str(exc)},
                    )
                    await self._sleep(min(self._backoff * 2 ** min(outages, 6), 10))
                    continue
                attempt += 1
                log.warning(
                    "handler failed", exc_info=True, extra={"type": event.type, "attempt": attempt}
                )
                if attempt >= self._max_attempts:
                    await self._dead_letter(
                        item.message,
                        f"{type(exc).__name__}: {exc}",
                        attempts=attempt,
                        event=event,
                    )
                    self._metrics.events_handled.labels(
                        type=event.type, outcome="dead_letter"
                    ).inc()
                    return "dead_letter"
                await asyncio.sleep(self._backoff * 2 ** (attempt - 1))
                continue
            self._metrics.events_handled.labels(type=event.type, outcome=outcome).inc()
            return outcome

    async def _apply(self, items: list[_Decoded]) -> list[str]:
        """One transaction: the inbox rows of all `items` in one statement, then the handlers
        of the new ones in offset order (a run of one type at once when its handler takes
        batches). Returns each item's outcome, `handled` or `duplicate`."""
        async with self._uow(self._actor) as uow:
            fresh = await self._record_in_inbox(uow, items)
            new = [item for item in items if id(item) in fresh]
            for run in _runs_of_one_type(new):
                await self._run_handler(uow, run)
        for event_type in sorted({item.event.type for item in new}):
            self._maybe_crash(event_type)
        return ["handled" if id(item) in fresh else "duplicate" for item in items]

    async def _record_in_inbox(self, uow: UnitOfWork, items: list[_Decoded]) -> set[int]:
        """The `id()`s of the items recorded now (not seen before, here or earlier in the
        batch: a producer's retry can put the same event twice in one partition)."""
        first: dict[tuple[str, str], _Decoded] = {}
        for item in items:
            first.setdefault(item.identity, item)
        unique = list(first.values())
        rows = await uow.session.execute(
            _RECORD_IN_INBOX,
            {
                "consumer": self.group_id,
                "sources": [i.event.source for i in unique],
                "ids": [i.event.id for i in unique],
                "types": [i.event.type for i in unique],
                "topics": [self._unprefixed(i.message.topic) for i in unique],
                "partitions": [i.message.partition for i in unique],
                "offsets": [i.message.offset for i in unique],
            },
        )
        return {id(first[(source, event_id)]) for source, event_id in rows.all()}

    async def _run_handler(self, uow: UnitOfWork, run: list[_Decoded]) -> None:
        registration = run[0].registration
        if registration.batch is None:
            for item in run:
                with _event_context(item), self._span(item):
                    await registration.handler(uow, item.payload, item.event)
                await _forget_loaded_rows(uow)
            return
        # One span for the run, continuing the trace of its first event (the others'
        # traces end at their send: a batch has one parent).
        with _event_context(run[0]), self._span(run[0], records=len(run)):
            await registration.handle_run(uow, [Received(i.payload, i.event) for i in run])
        await _forget_loaded_rows(uow)

    def _span(self, item: _Decoded, records: int = 1) -> contextlib.AbstractContextManager[Any]:
        message = item.message
        span = consumer_span(self.service, message.topic, message.headers, item.event.type)
        if records == 1:
            return span
        return _with_attribute(span, "messaging.batch.message_count", records)

    def _maybe_crash(self, event_type: str) -> None:
        # Test-only crash point (settings refuse it in production): die after the database
        # commit and before the offset commit, as a SIGKILL would.
        if self._fault == f"after_db_commit:{event_type}":
            log.warning("fault injection: SIGKILL after database commit")
            os.kill(os.getpid(), signal.SIGKILL)

    # -- dead letters ---------------------------------------------------------------------
    async def _dead_letter(
        self, message: Message, error: str, *, attempts: int, event: CloudEvent | None = None
    ) -> None:
        original = self._unprefixed(message.topic)
        dlq = with_prefix(dead_letter_topic(original, self.service), self._prefix)
        headers = [
            *message.headers,
            ("x-error", error[:1000].encode()),
            ("x-original-topic", original.encode()),
            ("x-original-partition", str(message.partition).encode()),
            ("x-original-offset", str(message.offset).encode()),
            ("x-consumer", self.group_id.encode()),
            ("x-attempts", str(attempts).encode()),
        ]
        async with self._db.sessions() as session, session.begin():
            await session.execute(
                pg_insert(dead_letter)
                .on_conflict_do_nothing()
                .values(
                    consumer=self.group_id,
                    topic=original,
                    partition=message.partition,
                    offset=message.offset,
                    key=message.key.decode(errors="replace") if message.key else None,
                    value=message.value,
                    headers={k: v.decode(errors="replace") for k, v in message.headers},
                    event_source=event.source if event else None,
                    event_id=event.id if event else None,
                    event_type=event.type if event else None,
                    error=error[:4000],
                    attempts=attempts,
                )
            )
        producer = await self._ensure_dlq_producer()
        try:
            await producer.send_and_wait(dlq, value=message.value, key=message.key, headers=headers)
        except MessageSizeTooLargeError:
            # The original was near the size limit and our headers pushed it over: send the
            # error without the value (the dead_letter table keeps the message for replay).
            headers.append(("x-value-omitted", b"too large; see the dead_letter table"))
            await producer.send_and_wait(dlq, value=None, key=message.key, headers=headers)
        self._metrics.dead_letters.labels(topic=original).inc()
        log.error(
            "message sent to dead-letter topic",
            extra={"dlq": dlq, "error": error[:500], "offset": message.offset},
        )

    async def _ensure_dlq_producer(self) -> AIOKafkaProducer:
        if self._dlq_producer is None:
            producer = self._producer_factory()
            await producer.start()
            self._dlq_producer = producer
        return self._dlq_producer


async def _forget_loaded_rows(uow: UnitOfWork) -> None:
    """Each handler starts with an empty identity map, as in a transaction of its own: a
    row loaded by an earlier handler of the batch and changed since by a set-based
    statement would otherwise be read back stale."""
    await uow.session.flush()
    uow.session.expunge_all()


def _runs_of_one_type(items: list[_Decoded]) -> list[list[_Decoded]]:
    """Consecutive items of the same event type, in order."""
    runs: list[list[_Decoded]] = []
    for item in items:
        if runs and runs[-1][0].event.type == item.event.type:
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


@contextlib.contextmanager
def _event_context(item: _Decoded) -> Iterator[None]:
    """The event's id and trace in the logs and in the outbox rows its handler writes."""
    event_token = event_id_var.set(item.event.id)
    trace_token = traceparent_var.set(child_traceparent(item.message.header("traceparent")))
    try:
        yield
    finally:
        event_id_var.reset(event_token)
        traceparent_var.reset(trace_token)


@contextlib.contextmanager
def _with_attribute(
    span: contextlib.AbstractContextManager[Any], name: str, value: int
) -> Iterator[Any]:
    with span as opened:
        opened.set_attribute(name, value)
        yield opened
