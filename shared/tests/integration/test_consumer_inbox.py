"""Consumer + inbox + dead letters on real PostgreSQL and real Kafka (guarantees 2 and 4)."""

from __future__ import annotations

import asyncio
from functools import partial

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import func, select

from localdev.stack import Infra
from shared.db.engine import Database
from shared.db.metadata import audit_log, dead_letter, inbox
from shared.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from shared.events.envelope import CloudEvent
from shared.messaging.consumer import EventConsumer, HandlerRegistry, Message
from shared.messaging.kafka_clients import new_consumer, new_producer
from shared.observability.metrics import ServiceMetrics
from shared.settings import ServiceSettings

from .conftest import OrderProbe

pytestmark = pytest.mark.integration


async def record_probe(uow: UnitOfWork, event: OrderProbe, _: CloudEvent) -> None:
    await uow.audit.record("probe.handled", "probe", f"{event.uscc}:{event.seq}")


async def always_fails(uow: UnitOfWork, event: OrderProbe, _: CloudEvent) -> None:
    raise RuntimeError(f"cannot handle {event.seq}")


def consumer_for(database: Database, infra: Infra, prefix: str, handler) -> EventConsumer:
    settings = ServiceSettings(KAFKA_BOOTSTRAP_SERVERS=infra.bootstrap, SME_ENVIRONMENT="test")
    registry = HandlerRegistry()
    registry.on(OrderProbe, handler)
    return EventConsumer(
        service="probe",
        db=database,
        uow_factory=UnitOfWorkFactory(database, source="/sme/probe", topic_prefix=prefix),
        registry=registry,
        metrics=ServiceMetrics("probe"),
        consumer_factory=partial(new_consumer, settings),
        producer_factory=partial(new_producer, settings, "probe-dlq"),
        topic_prefix=prefix,
        max_attempts=3,
        retry_backoff=0.01,
    )


def probe_message(prefix: str, seq: int, offset: int = 0) -> tuple[Message, CloudEvent]:
    event = CloudEvent.wrap(OrderProbe(uscc="INBOXTEST00000000A", seq=seq), source="/sme/test")
    return Message(
        prefix + "sme.tracking.v1", 0, offset, b"INBOXTEST00000000A", event.to_json_bytes(), ()
    ), event


async def count(database: Database, table, *where) -> int:
    async with database.sessions() as session:
        return (
            await session.execute(select(func.count()).select_from(table).where(*where))
        ).scalar_one()


async def test_a_redelivered_event_has_one_effect(
    database: Database, infra: Infra, topic_prefix: str
) -> None:
    consumer = consumer_for(database, infra, topic_prefix, record_probe)
    message, event = probe_message(topic_prefix, seq=1)
    assert await consumer.process(message) == "handled"
    redelivered = Message(
        message.topic,
        message.partition,
        message.offset + 5,
        message.key,
        message.value,
        message.headers,
    )
    assert await consumer.process(redelivered) == "duplicate"
    await consumer.stop()
    assert await count(database, audit_log, audit_log.c.action == "probe.handled") == 1
    assert await count(database, inbox, inbox.c.event_id == event.id) == 1


async def test_a_handler_that_keeps_failing_dead_letters_after_bounded_retries(
    database: Database, infra: Infra, topic_prefix: str
) -> None:
    consumer = consumer_for(database, infra, topic_prefix, always_fails)
    message, event = probe_message(topic_prefix, seq=2)
    assert await consumer.process(message) == "dead_letter"
    await consumer.stop()
    async with database.sessions() as session:
        row = (await session.execute(select(dead_letter))).mappings().one()
    assert row["attempts"] == 3
    assert row["event_id"] == event.id
    assert "cannot handle 2" in row["error"]
    # the failed effect left no inbox record, so a replay can still handle it
    assert await count(database, inbox) == 0


async def test_a_malformed_message_lands_in_the_dead_letter_topic_and_the_next_is_handled(
    database: Database, infra: Infra, topic_prefix: str
) -> None:
    topic = topic_prefix + "sme.tracking.v1"
    producer = AIOKafkaProducer(bootstrap_servers=infra.bootstrap)
    await producer.start()
    good, good_event = probe_message(topic_prefix, seq=3)
    try:
        await producer.send_and_wait(topic, b"{not json", key=b"INBOXTEST00000000A")
        await producer.send_and_wait(topic, good.value, key=good.key)
    finally:
        await producer.stop()

    consumer = consumer_for(database, infra, topic_prefix, record_probe)
    consumer.start()
    try:
        deadline = asyncio.get_running_loop().time() + 30
        while asyncio.get_running_loop().time() < deadline:
            if await count(database, inbox, inbox.c.event_id == good_event.id):
                break
            await asyncio.sleep(0.2)
    finally:
        await consumer.stop()
    assert await count(database, inbox, inbox.c.event_id == good_event.id) == 1
    assert await count(database, dead_letter) == 1

    dlq = AIOKafkaConsumer(
        topic_prefix + "sme.tracking.v1.dlq.probe",
        bootstrap_servers=infra.bootstrap,
        auto_offset_reset="earliest",
    )
    await dlq.start()
    try:
        batch = await dlq.getmany(timeout_ms=10_000)
    finally:
        await dlq.stop()
    [letter] = [m for messages in batch.values() for m in messages]
    headers = dict(letter.headers)
    assert letter.value == b"{not json"
    assert b"not a CloudEvent" in headers["x-error"]
    assert headers["x-original-topic"] == b"sme.tracking.v1"
