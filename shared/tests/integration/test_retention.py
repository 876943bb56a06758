"""Housekeeping removes only history: published outbox rows and old inbox records."""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import Any

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from sqlalchemy import func, insert, select, text

from localdev.stack import Infra
from shared.platform.db.engine import Database
from shared.platform.db.metadata import inbox, outbox
from shared.platform.messaging.retention import (
    INBOX_RETENTION_CHECKED,
    InboxRetentionTooShort,
    check_inbox_outlives_topics,
    purge_messaging_history,
)
from shared.platform.settings import ServiceSettings

pytestmark = pytest.mark.integration


def outbox_row(n: int, **extra: Any) -> dict[str, Any]:
    return {
        "event_id": f"00000000-0000-4000-8000-{n:012d}",
        "topic": "t",
        "key": "k",
        "event_type": "x",
        "envelope": b"{}",
        "headers": {},
        **extra,
    }


async def test_only_old_history_is_purged(database: Database) -> None:
    async with database.engine.begin() as conn:
        for row in (
            outbox_row(1, published_at=text("now() - interval '8 days'")),
            outbox_row(2, published_at=text("now() - interval '1 day'")),
            outbox_row(3),  # not yet published: never purged
        ):
            await conn.execute(insert(outbox).values(**row))
        for event_id, age in (("old", "31 days"), ("recent", "1 day")):
            await conn.execute(
                insert(inbox).values(
                    consumer="c",
                    event_source="/s",
                    event_id=event_id,
                    event_type="x",
                    topic="t",
                    partition=0,
                    offset=1,
                    handled_at=text(f"now() - interval '{age}'"),
                )
            )
    runtime = SimpleNamespace(
        db=database,
        settings=ServiceSettings(SME_ENVIRONMENT="test", INBOX_RETENTION_DAYS=30),
        extras={INBOX_RETENTION_CHECKED: True},
    )
    assert await purge_messaging_history(runtime) == 2  # type: ignore[arg-type]
    async with database.sessions() as session:
        kept = (await session.execute(select(outbox.c.event_id).order_by(outbox.c.id))).all()
        inbox_left = (await session.execute(select(func.count()).select_from(inbox))).scalar()
    assert [r.event_id[-1] for r in kept] == ["2", "3"]
    assert inbox_left == 1


async def old_inbox_record(database: Database) -> None:
    async with database.engine.begin() as conn:
        await conn.execute(
            insert(inbox).values(
                consumer="c",
                event_source="/s",
                event_id="old",
                event_type="x",
                topic="t",
                partition=0,
                offset=1,
                handled_at=text("now() - interval '400 days'"),
            )
        )


async def test_inbox_kept_until_its_retention_was_checked_against_kafka(
    database: Database, infra: Infra
) -> None:
    await old_inbox_record(database)
    settings = ServiceSettings(
        SME_ENVIRONMENT="test", KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:1", INBOX_RETENTION_DAYS=30
    )
    runtime = SimpleNamespace(db=database, settings=settings, extras={})
    # Broker unreachable: start-up goes on, but the inbox is not purged.
    await check_inbox_outlives_topics(runtime, ["sme.anything.v1"])  # type: ignore[arg-type]
    assert await purge_messaging_history(runtime) == 0  # type: ignore[arg-type]


async def topic_with_retention(infra: Infra, retention_ms: int, segment_ms: int) -> str:
    name = f"it{uuid.uuid4().hex[:8]}.retention"
    admin = AIOKafkaAdminClient(bootstrap_servers=infra.bootstrap)
    await admin.start()
    try:
        config = {"retention.ms": str(retention_ms), "segment.ms": str(segment_ms)}
        await admin.create_topics([NewTopic(name, 1, 1, topic_configs=config)])
    finally:
        await admin.close()
    return name


async def test_start_up_refused_when_kafka_keeps_messages_longer_than_the_inbox(
    database: Database, infra: Infra
) -> None:
    day = 86_400_000
    # Production's topics: 30 days, plus up to a 7-day segment Kafka deletes as a whole.
    topic = await topic_with_retention(infra, 30 * day, 7 * day)

    def runtime_with(inbox_days: int) -> SimpleNamespace:
        settings = ServiceSettings(
            SME_ENVIRONMENT="test",
            KAFKA_BOOTSTRAP_SERVERS=infra.bootstrap,
            INBOX_RETENTION_DAYS=inbox_days,
        )
        return SimpleNamespace(db=database, settings=settings, extras={})

    too_short = runtime_with(37)
    with pytest.raises(InboxRetentionTooShort) as refused:
        await check_inbox_outlives_topics(too_short, [topic])  # type: ignore[arg-type]
    message = str(refused.value)
    assert topic in message
    assert "retention.ms=2592000000" in message
    assert "INBOX_RETENTION_DAYS to at least 38" in message
    assert not too_short.extras

    long_enough = runtime_with(38)
    await check_inbox_outlives_topics(long_enough, [topic])  # type: ignore[arg-type]
    assert long_enough.extras == {INBOX_RETENTION_CHECKED: True}
    await old_inbox_record(database)
    assert await purge_messaging_history(long_enough) == 1  # type: ignore[arg-type]
