"""A fresh database with the shared tables, and fresh Kafka topics, per test."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from typing import ClassVar

import pytest

from localdev.kafka import create_topics
from localdev.stack import Infra
from shared.kernel.events import topics
from shared.kernel.events.envelope import EventPayload
from shared.kernel.events.topics import every_topic
from shared.platform.db.engine import Database
from shared.platform.db.metadata import shared_metadata


class OrderProbe(EventPayload):
    """A test event: which enterprise, and its sequence number."""

    event_type: ClassVar[str] = "cn.sme.test.probe.v1"
    topic: ClassVar[str] = topics.TRACKING

    uscc: str
    seq: int


@pytest.fixture
async def database(fresh_database: Callable[[str], str]) -> AsyncIterator[Database]:
    db = Database.connect(fresh_database("shared"), pool_size=5)
    async with db.engine.begin() as conn:
        await conn.run_sync(shared_metadata.create_all)
    yield db
    await db.dispose()


@pytest.fixture
def topic_prefix(infra: Infra) -> str:
    prefix = f"it{uuid.uuid4().hex[:8]}."
    probe_dlq = prefix + topics.dead_letter_topic(topics.TRACKING, "probe")
    create_topics(infra.bootstrap, [*every_topic(prefix), probe_dlq], partitions=3)
    return prefix
