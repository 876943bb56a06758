"""Outbox + relay on real PostgreSQL and real Kafka (architecture.md guarantees 1 and 3)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable
from functools import partial

import asyncpg
import orjson
import pytest
from aiokafka import AIOKafkaConsumer
from cloudevents.core.bindings.kafka import KafkaMessage, from_kafka
from cloudevents.core.formats.json import JSONFormat
from sqlalchemy import func, select

from localdev.stack import Infra
from shared.kernel.events.envelope import encode_event
from shared.kernel.events.topics import MAX_MESSAGE_BYTES
from shared.platform.db.audit import Actor
from shared.platform.db.engine import Database, asyncpg_dsn
from shared.platform.db.metadata import outbox
from shared.platform.messaging.kafka_clients import new_producer
from shared.platform.messaging.relay import OutboxRelay
from shared.platform.messaging.unit_of_work import UnitOfWorkFactory
from shared.platform.observability.metrics import ServiceMetrics
from shared.platform.settings import Environment, ServiceSettings

from .conftest import OrderProbe

pytestmark = pytest.mark.integration
ACTOR = Actor(sub="test", role="system")


def relay_for(database: Database, infra: Infra, name: str) -> OutboxRelay:
    settings = ServiceSettings(
        KAFKA_BOOTSTRAP_SERVERS=infra.bootstrap, SME_ENVIRONMENT=Environment.TEST
    )
    return OutboxRelay(
        database,
        partial(new_producer, settings, name),
        ServiceMetrics(name),
        poll_interval=0.2,
        batch_size=17,
    )


async def read_topic(infra: Infra, topic: str, expected: int, within: float = 30) -> list:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=infra.bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    records = []
    try:
        deadline = asyncio.get_running_loop().time() + within
        while len(records) < expected and asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for messages in batch.values():
                records.extend(messages)
        # a short extra wait: anything beyond `expected` would be a duplicate or a leak
        for messages in (await consumer.getmany(timeout_ms=1000)).values():
            records.extend(messages)
    finally:
        await consumer.stop()
    return records


async def unsent(database: Database) -> int:
    async with database.sessions() as session:
        return (
            await session.execute(
                select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
            )
        ).scalar_one()


async def test_an_event_written_in_a_rolled_back_transaction_is_never_published(
    database: Database, infra: Infra, topic_prefix: str
) -> None:
    uow = UnitOfWorkFactory(database, source="/sme/test", topic_prefix=topic_prefix)

    class Boom(Exception):
        pass

    async def write_then_fail() -> None:
        async with uow(ACTOR) as work:
            await work.outbox.add(OrderProbe(uscc="ROLLEDBACK0000000A", seq=1))
            raise Boom

    with pytest.raises(Boom):
        await write_then_fail()
    async with uow(ACTOR) as work:
        await work.outbox.add(OrderProbe(uscc="COMMITTED00000000A", seq=2))

    relay = relay_for(database, infra, "rollback-relay")
    assert await relay.publish_pending() == 1
    await relay.stop()

    records = await read_topic(infra, topic_prefix + "sme.tracking.v1", expected=1)
    keys = [r.key.decode() for r in records]
    assert keys == ["COMMITTED00000000A"]
    assert await unsent(database) == 0


async def test_per_key_order_holds_with_two_relays_running(
    database: Database, infra: Infra, topic_prefix: str
) -> None:
    uow = UnitOfWorkFactory(database, source="/sme/test", topic_prefix=topic_prefix)
    keys = [f"ORDERKEY{n:09d}A" for n in range(6)]
    total = 0
    for seq in range(40):  # interleaved keys, one transaction per event
        for key in keys:
            async with uow(ACTOR) as work:
                await work.outbox.add(OrderProbe(uscc=key, seq=seq))
            total += 1

    first, second = relay_for(database, infra, "relay-a"), relay_for(database, infra, "relay-b")
    first.start()
    second.start()
    try:
        deadline = asyncio.get_running_loop().time() + 60
        while await unsent(database) and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.2)
    finally:
        await first.stop()
        await second.stop()
    assert await unsent(database) == 0

    records = await read_topic(infra, topic_prefix + "sme.tracking.v1", expected=total)
    sequences: dict[str, list[int]] = defaultdict(list)
    for record in records:
        event = orjson.loads(record.value)
        sequences[record.key.decode()].append(event["data"]["seq"])
    assert sorted(sequences) == sorted(keys)
    for key in keys:
        assert sequences[key] == list(range(40)), key


async def test_two_relays_publish_rows_written_meanwhile_once_each_in_key_order(
    database: Database, infra: Infra, topic_prefix: str
) -> None:
    """Two workers of one service: both relays run while requests keep writing (several
    transactions at once, some with two events of a key), NOTIFY waking both."""
    uow = UnitOfWorkFactory(database, source="/sme/test", topic_prefix=topic_prefix)
    keys = [f"WORKERKEY{n:08d}A" for n in range(8)]
    rounds = 30

    async def writer(key: str) -> None:
        for seq in range(0, rounds, 2):
            async with uow(ACTOR) as work:
                await work.outbox.add(OrderProbe(uscc=key, seq=seq))
                await work.outbox.add(OrderProbe(uscc=key, seq=seq + 1))

    relays = [relay_for(database, infra, "worker-1"), relay_for(database, infra, "worker-2")]
    for relay in relays:
        relay.start()
    try:
        await asyncio.gather(*(writer(key) for key in keys))
        deadline = asyncio.get_running_loop().time() + 60
        while await unsent(database) and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.2)
    finally:
        for relay in relays:
            await relay.stop()
    assert await unsent(database) == 0
    total = len(keys) * rounds
    records = await read_topic(infra, topic_prefix + "sme.tracking.v1", expected=total)
    assert len(records) == total  # none twice
    sequences: dict[str, list[int]] = defaultdict(list)
    for record in records:
        sequences[record.key.decode()].append(orjson.loads(record.value)["data"]["seq"])
    for key in keys:
        assert sequences[key] == list(range(rounds)), key


async def test_rows_stay_in_the_outbox_while_the_broker_is_unreachable(
    database: Database, topic_prefix: str
) -> None:
    uow = UnitOfWorkFactory(database, source="/sme/test", topic_prefix=topic_prefix)
    async with uow(ACTOR) as work:
        await work.outbox.add(OrderProbe(uscc="OUTAGE00000000000A", seq=1))
    settings = ServiceSettings(KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:1", SME_ENVIRONMENT="test")
    relay = OutboxRelay(
        database, partial(new_producer, settings, "down"), ServiceMetrics("down"), send_timeout=2
    )
    assert await relay.publish_pending() == 0
    await relay.stop()
    assert await unsent(database) == 1


async def test_a_large_batch_is_copied_in_the_transaction_and_published_once_each(
    database: Database, infra: Infra, topic_prefix: str
) -> None:
    uow = UnitOfWorkFactory(database, source="/sme/test", topic_prefix=topic_prefix)
    payloads = [OrderProbe(uscc=f"BATCH{n:012d}A", seq=n) for n in range(1200)]

    class Boom(Exception):
        pass

    async def copy_then_fail() -> None:
        async with uow(ACTOR) as work:
            await work.outbox.add_many(payloads)
            raise Boom

    with pytest.raises(Boom):
        await copy_then_fail()
    assert await unsent(database) == 0  # the COPY belonged to the rolled-back transaction

    async with uow(ACTOR) as work:
        ids = await work.outbox.add_many(payloads)
    assert len(set(ids)) == 1200

    relay = relay_for(database, infra, "batch-relay")
    relay._batch_size = 500
    assert await relay.publish_pending() == 1200
    await relay.stop()
    records = await read_topic(infra, topic_prefix + "sme.tracking.v1", expected=1200)
    assert sorted(orjson.loads(r.value)["data"]["seq"] for r in records) == list(range(1200))


async def test_a_row_never_overtakes_an_older_one_still_being_written(
    database: Database, infra: Infra, topic_prefix: str
) -> None:
    """T1 writes K#1 and stays open; T2 writes K#2 and commits: K#2 waits for T1.

    A unit of work writes its rows when it ends; T1 writes them early (`flush`) to hold
    K#1's place while it stays open, as a long transaction's earlier statements would."""
    uow = UnitOfWorkFactory(database, source="/sme/test", topic_prefix=topic_prefix)
    relay = relay_for(database, infra, "xmin-relay")
    first_open = asyncio.Event()
    release_first = asyncio.Event()

    async def slow_first() -> None:
        async with uow(ACTOR) as work:
            await work.outbox.add(OrderProbe(uscc="INFLIGHT000000000A", seq=1))
            await work.flush()
            first_open.set()
            await release_first.wait()

    slow = asyncio.create_task(slow_first())
    await first_open.wait()
    async with uow(ACTOR) as work:
        await work.outbox.add(OrderProbe(uscc="INFLIGHT000000000A", seq=2))
    assert await relay.publish_pending() == 0  # #2 is committed, but #1 may still come
    release_first.set()
    await slow
    assert await relay.publish_pending() == 2
    await relay.stop()
    records = await read_topic(infra, topic_prefix + "sme.tracking.v1", expected=2)
    assert [orjson.loads(r.value)["data"]["seq"] for r in records] == [1, 2]


async def test_a_transaction_of_another_database_on_the_server_does_not_hold_the_relay_back(
    database: Database,
    infra: Infra,
    topic_prefix: str,
    fresh_database: Callable[[str], str],
) -> None:
    """Another service's long transaction (its own database, the same PostgreSQL server)
    started before our row's and still open: it can never write here, so our row goes."""
    other = await asyncpg.connect(asyncpg_dsn(fresh_database("other_service")))
    long_transaction = other.transaction()
    await long_transaction.start()
    try:
        await other.fetchval("SELECT pg_current_xact_id()")  # it holds an xid, older than ours
        uow = UnitOfWorkFactory(database, source="/sme/test", topic_prefix=topic_prefix)
        async with uow(ACTOR) as work:
            await work.outbox.add(OrderProbe(uscc="ELSEWHERE00000000A", seq=1))
        relay = relay_for(database, infra, "horizon-relay")
        assert await relay.publish_pending() == 1
        await relay.stop()
    finally:
        await long_transaction.rollback()
        await other.close()


async def test_an_event_the_broker_refuses_for_good_is_parked_and_its_key_moves_on(
    database: Database, infra: Infra, topic_prefix: str
) -> None:
    uow = UnitOfWorkFactory(database, source="/sme/test", topic_prefix=topic_prefix)
    async with uow(ACTOR) as work:
        # An envelope above the largest event a topic takes.
        await work.session.execute(
            outbox.insert().values(
                event_id="00000000-0000-4000-8000-000000000001",
                topic=topic_prefix + "sme.tracking.v1",
                key="PARKED00000000000A",
                event_type="cn.sme.test.probe.v1",
                envelope=b"x" * (MAX_MESSAGE_BYTES + 1_000_000),
                headers={},
            )
        )
        await work.outbox.add(OrderProbe(uscc="PARKED00000000000A", seq=2))
    relay = relay_for(database, infra, "parking-relay")
    assert await relay.publish_pending() == 1
    assert await relay.broker_reachable()  # one refused event does not make us unready
    await relay.stop()
    async with database.sessions() as session:
        parked = (
            await session.execute(
                select(outbox.c.key, outbox.c.last_error).where(outbox.c.parked_at.is_not(None))
            )
        ).all()
    assert [row.key for row in parked] == ["PARKED00000000000A"]
    assert "TooLarge" in parked[0].last_error
    records = await read_topic(infra, topic_prefix + "sme.tracking.v1", expected=1)
    assert [orjson.loads(r.value)["data"]["seq"] for r in records] == [2]


async def test_an_event_above_kafkas_default_limit_is_published_whole(
    database: Database, infra: Infra, topic_prefix: str
) -> None:
    # The size of a province-wide publicity batch's announcement (20,000 cases, ~2.3 MB):
    # above Kafka's 1 MiB default, within the topics' and the producer's limit.
    body = orjson.dumps(
        {"cases": [{"uscc": f"{i:018d}", "name": "企业" * 40} for i in range(20_000)]}
    )
    assert 2_000_000 < len(body) < MAX_MESSAGE_BYTES
    uow = UnitOfWorkFactory(database, source="/sme/test", topic_prefix=topic_prefix)
    async with uow(ACTOR) as work:
        await work.session.execute(
            outbox.insert().values(
                event_id="00000000-0000-4000-8000-000000000002",
                topic=topic_prefix + "sme.publicity.v1",
                key="BATCH-LARGE",
                event_type="cn.sme.test.probe.v1",
                envelope=body,
                headers={},
            )
        )
    relay = relay_for(database, infra, "large-relay")
    assert await relay.publish_pending() == 1
    await relay.stop()
    records = await read_topic(infra, topic_prefix + "sme.publicity.v1", expected=1)
    assert [r.value for r in records] == [body]


async def test_events_go_out_in_structured_mode_and_old_rows_lose_their_ce_headers(
    database: Database, infra: Infra, topic_prefix: str
) -> None:
    uow = UnitOfWorkFactory(database, source="/sme/test", topic_prefix=topic_prefix)
    async with uow(ACTOR) as work:
        # A row queued before the wire change, with the binary-mode headers it had then.
        await work.session.execute(
            outbox.insert().values(
                event_id="00000000-0000-4000-8000-000000000009",
                topic=topic_prefix + "sme.tracking.v1",
                key="WIRE0000000000000A",
                event_type=OrderProbe.event_type,
                envelope=encode_event(
                    OrderProbe(uscc="WIRE0000000000000A", seq=1),
                    source="/sme/test",
                    event_id="00000000-0000-4000-8000-000000000009",
                )[1],
                headers={
                    "ce_type": OrderProbe.event_type,
                    "ce_id": "00000000-0000-4000-8000-000000000009",
                    "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                },
            )
        )
        await work.outbox.add(OrderProbe(uscc="WIRE0000000000000A", seq=2))
    relay = relay_for(database, infra, "wire-relay")
    assert await relay.publish_pending() == 2
    await relay.stop()
    records = await read_topic(infra, topic_prefix + "sme.tracking.v1", expected=2)
    assert len(records) == 2
    for record in records:
        headers = dict(record.headers)
        assert headers["content-type"] == b"application/cloudevents+json; charset=UTF-8"
        assert not [name for name in headers if name.lower().startswith("ce_")]
        # What an agency's SDK reads: structured mode, the whole event.
        event = from_kafka(
            KafkaMessage(headers=headers, key=record.key, value=record.value), JSONFormat()
        )
        assert event.get_type() == OrderProbe.event_type
        assert event.get_source() == "/sme/test"
    assert dict(records[0].headers)["traceparent"].startswith(b"00-0af7651916cd43dd")
