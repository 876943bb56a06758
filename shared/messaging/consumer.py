"""Event consumer with an inbox (architecture.md guarantees 2 and 4).

For each message: parse the CloudEvent (either content mode: `kafka_binding`), find the
handler for its type, and in ONE database transaction record the event id in the inbox and
apply the handler's effect. Offsets are committed to Kafka only after that transaction
committed, so a crash in between redelivers the message and the inbox turns the second
delivery into a no-op.

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
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import MessageSizeTooLargeError
from pydantic import ValidationError
from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as pg_insert

from shared.db.audit import Actor
from shared.db.engine import Database
from shared.db.metadata import dead_letter
from shared.db.outage import is_database_outage
from shared.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from shared.events.catalog import payload_class
from shared.events.envelope import CloudEvent, EventPayload
from shared.events.topics import dead_letter_topic, with_prefix
from shared.messaging import kafka_binding
from shared.observability.context import child_traceparent, event_id_var, traceparent_var
from shared.observability.metrics import ServiceMetrics
from shared.observability.tracing import consumer_span

log = logging.getLogger("shared.messaging.consumer")

P = TypeVar("P", bound=EventPayload)
Handler = Callable[[UnitOfWork, P, CloudEvent], Awaitable[None]]

_RECORD_IN_INBOX = text("""
    INSERT INTO inbox (consumer, event_source, event_id, event_type, topic, partition, "offset")
    VALUES (:consumer, :event_source, :event_id, :event_type, :topic, :partition, :offset)
    ON CONFLICT DO NOTHING
    RETURNING event_id
""")


@dataclass(frozen=True)
class _Registration(Generic[P]):
    payload_cls: type[P]
    handler: Handler[P]


class HandlerRegistry:
    """Event type → handler; one function per event type (style.md)."""

    def __init__(self) -> None:
        self._by_type: dict[str, _Registration[Any]] = {}

    def on(self, payload_cls: type[P], handler: Handler[P]) -> None:
        if payload_cls.event_type in self._by_type:
            raise ValueError(f"two handlers for {payload_cls.event_type}")
        self._by_type[payload_cls.event_type] = _Registration(payload_cls, handler)

    def get(self, event_type: str) -> _Registration[Any] | None:
        return self._by_type.get(event_type)

    def topics(self) -> list[str]:
        return sorted({r.payload_cls.topic for r in self._by_type.values()})

    def event_types(self) -> list[str]:
        return sorted(self._by_type)


class HandlingAbandoned(Exception):
    """Stopped mid-message because the database is unreachable; the offset is not committed."""


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


def _is_infrastructure_error(error: BaseException) -> bool:
    """Errors that say the database is unreachable, not that the message is bad: retried
    until the database is back instead of counting against the message."""
    if is_database_outage(error):  # the web layer's 503s and this agree (shared.db.outage)
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
        """Drain: finish the message in hand, commit its offset, close."""
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
        while not self._stopping.is_set():
            batches = await consumer.getmany(timeout_ms=500, max_records=200)
            self.assigned = bool(consumer.assignment())
            for tp, messages in batches.items():
                done: int | None = None
                for record in messages:
                    message = Message(
                        record.topic,
                        record.partition,
                        record.offset,
                        record.key,
                        record.value,
                        tuple(record.headers or ()),
                    )
                    # Shielded: shutdown never interrupts a message between its database
                    # commit and its offset commit.
                    try:
                        await asyncio.shield(self.process(message))
                    except HandlingAbandoned:
                        break
                    done = record.offset
                    if self._stopping.is_set():
                        break
                if done is not None:
                    await self._commit(consumer, tp, done + 1)
                if self._stopping.is_set():
                    break
            await self._update_lag(consumer)

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

    # -- one message ----------------------------------------------------------------------
    async def process(self, message: Message) -> str:
        """Handle one message completely; returns the outcome (also used by replay)."""
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

        event_token = event_id_var.set(event.id)
        trace_token = traceparent_var.set(child_traceparent(message.header("traceparent")))
        try:
            with consumer_span(self.service, message.topic, message.headers, event.type):
                return await self._handle_with_retries(message, event, payload, registration)
        finally:
            event_id_var.reset(event_token)
            traceparent_var.reset(trace_token)

    def _parse(self, message: Message) -> tuple[CloudEvent, _Registration[Any] | None]:
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

    async def _handle_with_retries(
        self,
        message: Message,
        event: CloudEvent,
        payload: EventPayload,
        registration: _Registration[Any],
    ) -> str:
        attempt = 0
        outages = 0
        while True:
            try:
                outcome = await self._apply(message, event, payload, registration)
            except Exception as exc:
                if _is_infrastructure_error(exc):
                    if self._stopping.is_set():
                        # Shutting down with the database gone: leave the offset uncommitted,
                        # the message comes again after the restart.
                        raise HandlingAbandoned(str(exc)) from exc
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
                        message, f"{type(exc).__name__}: {exc}", attempts=attempt, event=event
                    )
                    self._metrics.events_handled.labels(
                        type=event.type, outcome="dead_letter"
                    ).inc()
                    return "dead_letter"
                await asyncio.sleep(self._backoff * 2 ** (attempt - 1))
                continue
            self._metrics.events_handled.labels(type=event.type, outcome=outcome).inc()
            return outcome

    async def _apply(
        self,
        message: Message,
        event: CloudEvent,
        payload: EventPayload,
        registration: _Registration[Any],
    ) -> str:
        async with self._uow(self._actor) as uow:
            recorded = (
                await uow.session.execute(
                    _RECORD_IN_INBOX,
                    {
                        "consumer": self.group_id,
                        "event_source": event.source,
                        "event_id": event.id,
                        "event_type": event.type,
                        "topic": self._unprefixed(message.topic),
                        "partition": message.partition,
                        "offset": message.offset,
                    },
                )
            ).first()
            if recorded is None:
                return "duplicate"
            await registration.handler(uow, payload, event)
        self._maybe_crash(event.type)
        return "handled"

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
