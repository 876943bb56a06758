"""Consumer + inbox + dead letters on real PostgreSQL and real Kafka (guarantees 2 and 4)."""

from __future__ import annotations

import asyncio
from functools import partial

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from cloudevents.core.bindings.kafka import to_binary
from cloudevents.core.formats.json import JSONFormat
from sqlalchemy import func, select

from localdev.stack import Infra
from shared.kernel.events.envelope import CloudEvent
from shared.platform.db.engine import Database
from shared.platform.db.metadata import audit_log, dead_letter, inbox
from shared.platform.messaging.consumer import EventConsumer, HandlerRegistry, Message, Received
from shared.platform.messaging.kafka_clients import new_consumer, new_producer
from shared.platform.messaging.unit_of_work import UnitOfWork, UnitOfWorkFactory
from shared.platform.observability.metrics import ServiceMetrics
from shared.platform.settings import ServiceSettings

from .conftest import OrderProbe

pytestmark = pytest.mark.integration


async def record_probe(uow: UnitOfWork, event: OrderProbe, _: CloudEvent) -> None:
    await uow.audit.record("probe.handled", "probe", f"{event.uscc}:{event.seq}")


async def always_fails(uow: UnitOfWork, event: OrderProbe, _: CloudEvent) -> None:
    raise RuntimeError(f"cannot handle {event.seq}")


def consumer_for(
    database: Database, infra: Infra, prefix: str, handler, *, batch=None, **options
) -> EventConsumer:
    settings = ServiceSettings(KAFKA_BOOTSTRAP_SERVERS=infra.bootstrap, SME_ENVIRONMENT="test")
    registry = HandlerRegistry()
    if batch is not None:
        registry.on_batch(OrderProbe, batch)
    else:
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
        **options,
    )


def probe_message(
    prefix: str, seq: int, offset: int = 0, uscc: str = "INBOXTEST00000000A"
) -> tuple[Message, CloudEvent]:
    event = CloudEvent.wrap(OrderProbe(uscc=uscc, seq=seq), source="/sme/test")
    return Message(
        prefix + "sme.tracking.v1", 0, offset, uscc.encode(), event.to_json_bytes(), ()
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


STRUCTURED = (("content-type", b"application/cloudevents+json; charset=UTF-8"),)


def in_binary_mode(message: Message) -> Message:
    """The same event in binary content mode, as the CloudEvents SDKs send by default."""
    wire = to_binary(JSONFormat().read(None, message.value or b""), JSONFormat())
    headers = tuple(wire.headers.items())
    assert ("ce_specversion", b"1.0") in headers
    return Message(message.topic, 0, message.offset, message.key, wire.value, headers)


async def test_binary_and_structured_content_mode_are_both_handled(
    database: Database, infra: Infra, topic_prefix: str
) -> None:
    consumer = consumer_for(database, infra, topic_prefix, record_probe)
    first, first_event = probe_message(topic_prefix, seq=11, offset=1)
    second, second_event = probe_message(topic_prefix, seq=12, offset=2)
    structured = Message(first.topic, 0, 3, first.key, first.value, STRUCTURED)
    assert await consumer.process(in_binary_mode(first)) == "handled"
    # The same event in the other mode is the same event: the inbox knows it.
    assert await consumer.process(structured) == "duplicate"
    assert (
        await consumer.process(Message(second.topic, 0, 4, second.key, second.value, STRUCTURED))
        == "handled"
    )
    await consumer.stop()
    for event in (first_event, second_event):
        assert await count(database, inbox, inbox.c.event_id == event.id) == 1
    assert await count(database, audit_log, audit_log.c.action == "probe.handled") == 2
    assert await count(database, dead_letter) == 0


@pytest.mark.parametrize(
    ("headers", "value", "reason"),
    [
        # A content type that is neither CloudEvents structured mode nor binary mode.
        ((("content-type", b"application/json"),), b'{"uscc": "X"}', b"neither structured"),
        # Binary mode without the required attributes.
        ((("ce_specversion", b"1.0"), ("ce_type", b"x")), b"{}", b"Missing required attribute"),
    ],
    ids=["neither-mode", "binary-without-source"],
)
async def test_a_message_in_neither_content_mode_is_dead_lettered_with_the_reason(
    database: Database,
    infra: Infra,
    topic_prefix: str,
    headers: tuple[tuple[str, bytes], ...],
    value: bytes,
    reason: bytes,
) -> None:
    consumer = consumer_for(database, infra, topic_prefix, record_probe)
    message = Message(topic_prefix + "sme.tracking.v1", 0, 7, b"K", value, headers)
    assert await consumer.process(message) == "dead_letter"
    await consumer.stop()
    async with database.sessions() as session:
        row = (await session.execute(select(dead_letter))).mappings().one()
    assert reason.decode() in row["error"]


async def test_an_event_of_a_type_nobody_knows_is_dead_lettered(
    database: Database, infra: Infra, topic_prefix: str
) -> None:
    consumer = consumer_for(database, infra, topic_prefix, record_probe)
    event = CloudEvent.wrap(OrderProbe(uscc="INBOXTEST00000000A", seq=5), source="/sme/test")
    unknown = event.model_copy(update={"type": "cn.sme.nonexistent.v1"})
    message = Message(
        topic_prefix + "sme.tracking.v1",
        0,
        9,
        b"INBOXTEST00000000A",
        unknown.to_json_bytes(),
        STRUCTURED,
    )
    assert await consumer.process(message) == "dead_letter"
    # A type of the catalog that this consumer does not handle is someone else's: skipped.
    other = event.model_copy(update={"type": "cn.sme.tracking.overdue.v1"})
    skipped = Message(message.topic, 0, 10, message.key, other.to_json_bytes(), message.headers)
    assert await consumer.process(skipped) == "ignored"
    await consumer.stop()
    async with database.sessions() as session:
        row = (await session.execute(select(dead_letter))).mappings().one()
    assert "unknown event type 'cn.sme.nonexistent.v1'" in row["error"]


# -- batches (issue 14): one transaction per partition's batch --------------------------


async def handled_seqs(database: Database) -> list[str]:
    """The probes' effects in the order they were applied (audit ids are increasing)."""
    async with database.sessions() as session:
        return list(
            (
                await session.execute(
                    select(audit_log.c.entity_id)
                    .where(audit_log.c.action == "probe.handled")
                    .order_by(audit_log.c.id)
                )
            ).scalars()
        )


def fails_on(poison: int):
    async def handle(uow: UnitOfWork, event: OrderProbe, envelope: CloudEvent) -> None:
        if event.seq == poison:
            raise RuntimeError(f"cannot handle {event.seq}")
        await record_probe(uow, event, envelope)

    return handle


async def test_a_batch_is_applied_once_and_its_redelivery_is_a_no_op(
    database: Database, infra: Infra, topic_prefix: str
) -> None:
    consumer = consumer_for(database, infra, topic_prefix, record_probe)
    batch = [probe_message(topic_prefix, seq=n, offset=n)[0] for n in range(20)]
    await consumer.process_batch(batch)
    # The whole batch again (the offsets were not committed before a crash, say).
    await consumer.process_batch(batch)
    await consumer.stop()
    assert await handled_seqs(database) == [f"INBOXTEST00000000A:{n}" for n in range(20)]
    assert await count(database, inbox) == 20
    assert await count(database, dead_letter) == 0


async def test_an_event_twice_in_one_batch_has_one_effect(
    database: Database, infra: Infra, topic_prefix: str
) -> None:
    consumer = consumer_for(database, infra, topic_prefix, record_probe)
    message, _ = probe_message(topic_prefix, seq=1, offset=1)
    again = Message(message.topic, 0, 2, message.key, message.value, message.headers)
    await consumer.process_batch([message, again])
    await consumer.stop()
    assert await handled_seqs(database) == ["INBOXTEST00000000A:1"]


async def test_a_poison_record_in_mid_batch_goes_alone_to_the_dead_letters(
    database: Database, infra: Infra, topic_prefix: str
) -> None:
    """A handler failing on record 7 and an undecodable record 12: both go to the dead
    letters; every other record of the batch is applied once, in order."""
    consumer = consumer_for(database, infra, topic_prefix, fails_on(7))
    batch = [probe_message(topic_prefix, seq=n, offset=n)[0] for n in range(20)]
    batch[12] = Message(batch[12].topic, 0, 12, batch[12].key, b"{not json", ())
    await consumer.process_batch(batch)
    await consumer.stop()
    expected = [f"INBOXTEST00000000A:{n}" for n in range(20) if n not in (7, 12)]
    assert await handled_seqs(database) == expected
    assert await count(database, inbox) == 18
    async with database.sessions() as session:
        letters = (
            (await session.execute(select(dead_letter).order_by(dead_letter.c.offset)))
            .mappings()
            .all()
        )
    assert [(r["offset"], r["attempts"]) for r in letters] == [(7, 3), (12, 1)]
    assert "cannot handle 7" in letters[0]["error"]
    assert "not a CloudEvent" in letters[1]["error"]


async def test_a_batch_handler_gets_runs_and_a_poison_record_still_goes_alone(
    database: Database, infra: Infra, topic_prefix: str
) -> None:
    runs: list[int] = []

    async def set_based(uow: UnitOfWork, received: list[Received[OrderProbe]]) -> None:
        runs.append(len(received))
        for item in received:
            if item.payload.seq == 5:
                raise RuntimeError("cannot handle 5")
        for item in received:
            await record_probe(uow, item.payload, item.envelope)

    consumer = consumer_for(database, infra, topic_prefix, None, batch=set_based)
    batch = [probe_message(topic_prefix, seq=n, offset=n)[0] for n in range(16)]
    await consumer.process_batch(batch)
    await consumer.stop()
    assert runs[0] == 16  # the whole batch in one call first
    assert await handled_seqs(database) == [f"INBOXTEST00000000A:{n}" for n in range(16) if n != 5]
    async with database.sessions() as session:
        [letter] = (await session.execute(select(dead_letter))).mappings().all()
    assert letter["offset"] == 5


async def test_per_key_order_across_batches_and_partitions_handled_at_once(
    database: Database, infra: Infra, topic_prefix: str
) -> None:
    """Real Kafka, 3 partitions, small batches: each enterprise's events are applied in
    the order they were produced, and more than one partition was being handled at once."""
    topic = topic_prefix + "sme.tracking.v1"
    usccs = [f"ORDERTEST{n:08d}A" for n in range(6)]
    per_key = 40
    producer = AIOKafkaProducer(bootstrap_servers=infra.bootstrap)
    await producer.start()
    try:
        for seq in range(per_key):
            for uscc in usccs:
                _, event = probe_message(topic_prefix, seq=seq, uscc=uscc)
                await producer.send(topic, event.to_json_bytes(), key=uscc.encode())
        await producer.flush()
    finally:
        await producer.stop()

    in_flight = 0
    most_at_once = 0

    async def slow_probe(uow: UnitOfWork, event: OrderProbe, envelope: CloudEvent) -> None:
        nonlocal in_flight, most_at_once
        in_flight += 1
        most_at_once = max(most_at_once, in_flight)
        try:
            await asyncio.sleep(0.002)  # yield, so that another partition's task may run
            await record_probe(uow, event, envelope)
        finally:
            in_flight -= 1

    consumer = consumer_for(database, infra, topic_prefix, slow_probe, max_batch=25)
    consumer.start()
    try:
        deadline = asyncio.get_running_loop().time() + 60
        while asyncio.get_running_loop().time() < deadline:
            if await count(database, inbox) == per_key * len(usccs):
                break
            await asyncio.sleep(0.2)
    finally:
        await consumer.stop()
    applied = await handled_seqs(database)
    assert len(applied) == per_key * len(usccs)
    for uscc in usccs:
        seqs = [int(e.split(":")[1]) for e in applied if e.startswith(uscc)]
        assert seqs == list(range(per_key)), uscc
    async with database.sessions() as session:
        partitions = set((await session.execute(select(inbox.c.partition))).scalars())
    assert len(partitions) > 1  # the keys spread over several partitions
    assert most_at_once > 1
