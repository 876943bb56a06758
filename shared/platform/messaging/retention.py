"""Housekeeping of the messaging tables: published outbox rows and old inbox records, and the
start-up check that the inbox remembers an event longer than Kafka can redeliver it.

Published outbox rows are history once the broker has them. Inbox records must outlive any
redelivery: a replay from the earliest offset must find every event it brings still in the
inbox, or the event would be handled twice. Kafka keeps a message at least `retention.ms`
and, because it deletes whole segments, up to `segment.ms` longer; so the inbox retention
must exceed both together. `check_inbox_outlives_topics` reads them from the broker at
start-up and refuses to start otherwise; until it has passed, the job purges no inbox record
(a broker unreachable at start-up leaves the inbox growing, never forgetting too early).
Deleted in bounded batches so the job never holds long locks.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from sqlalchemy import text

from shared.platform.db.engine import Database
from shared.platform.messaging.kafka_clients import connection_options
from shared.platform.settings import ServiceSettings

log = logging.getLogger("shared.platform.messaging.retention")

_DAY_MS = 86_400_000
# Kafka's defaults, for a topic whose configuration does not say.
_DEFAULT_RETENTION_MS = 7 * _DAY_MS
_DEFAULT_SEGMENT_MS = 7 * _DAY_MS
# Set in `runtime.extras` once the check has passed: the job may purge the inbox.
INBOX_RETENTION_CHECKED = "inbox_retention_checked"


class ServiceHost(Protocol):
    """What these jobs need of the service runtime (`shared.platform.runtime.ServiceRuntime` is
    one);
    named here so the messaging layer never imports the runtime that is built on it."""

    @property
    def db(self) -> Database: ...

    @property
    def settings(self) -> ServiceSettings: ...

    @property
    def extras(self) -> dict[str, Any]: ...


_BATCH = 5_000
_OLD_OUTBOX = text("""
    DELETE FROM outbox WHERE id IN (
        SELECT id FROM outbox
        WHERE published_at < now() - make_interval(days => :days)
        LIMIT :batch)
""")
_OLD_INBOX = text("""
    DELETE FROM inbox WHERE (consumer, event_source, event_id) IN (
        SELECT consumer, event_source, event_id FROM inbox
        WHERE handled_at < now() - make_interval(days => :days)
        LIMIT :batch)
""")


class InboxRetentionTooShort(RuntimeError):
    """The inbox would forget events Kafka can still redeliver: refuse to start."""


@dataclass(frozen=True)
class TopicRetention:
    topic: str
    retention_ms: int  # -1: kept forever
    segment_ms: int

    @property
    def longest_redelivery_ms(self) -> int | None:
        """How long after it was written Kafka may still deliver a message (None: forever)."""
        if self.retention_ms < 0:
            return None
        return self.retention_ms + self.segment_ms


async def read_topic_retention(
    settings: ServiceSettings, topics: Sequence[str], within: float = 10.0
) -> list[TopicRetention]:
    """`retention.ms` and `segment.ms` of each topic, as the broker applies them."""
    admin = AIOKafkaAdminClient(
        client_id=f"{settings.service_name or 'sme'}-retention-check",
        request_timeout_ms=int(within * 1000),
        **connection_options(settings),
    )
    await asyncio.wait_for(admin.start(), within)
    try:
        resources = [
            ConfigResource(
                ConfigResourceType.TOPIC, topic, {"retention.ms": None, "segment.ms": None}
            )
            for topic in topics
        ]
        responses = await asyncio.wait_for(admin.describe_configs(resources), within)
    finally:
        await admin.close()
    found: list[TopicRetention] = []
    for response in responses:
        for error_code, error_message, _type, name, entries in response.resources:
            if error_code:  # e.g. the topic does not exist yet: unknown, not wrong
                raise LookupError(f"configuration of topic {name}: {error_message}")
            values = {entry[0]: entry[1] for entry in entries}
            found.append(
                TopicRetention(
                    topic=name,
                    retention_ms=int(values.get("retention.ms") or _DEFAULT_RETENTION_MS),
                    segment_ms=int(values.get("segment.ms") or _DEFAULT_SEGMENT_MS),
                )
            )
    return found


def verify_inbox_retention(inbox_retention_days: int, topics: Sequence[TopicRetention]) -> None:
    """Raise `InboxRetentionTooShort`, naming the topic and the numbers, when the inbox
    would forget an event before Kafka stops being able to redeliver it."""
    inbox_ms = inbox_retention_days * _DAY_MS
    for topic in topics:
        longest = topic.longest_redelivery_ms
        if longest is None:
            raise InboxRetentionTooShort(
                f"topic {topic.topic} keeps messages forever (retention.ms=-1) but the inbox "
                f"forgets handled events after INBOX_RETENTION_DAYS={inbox_retention_days}: a "
                f"replay from the earliest offset would handle old events twice. Give the "
                f"topic a finite retention.ms."
            )
        if inbox_ms <= longest:
            needed = longest // _DAY_MS + 1
            raise InboxRetentionTooShort(
                f"topic {topic.topic} may redeliver a message up to {longest / _DAY_MS:g} days "
                f"after it was written (retention.ms={topic.retention_ms} + "
                f"segment.ms={topic.segment_ms}) but the inbox forgets handled events after "
                f"INBOX_RETENTION_DAYS={inbox_retention_days}: set INBOX_RETENTION_DAYS to at "
                f"least {needed} or shorten the topic's retention."
            )


async def check_inbox_outlives_topics(runtime: ServiceHost, topics: Sequence[str]) -> None:
    """Start-up: refuse to start (InboxRetentionTooShort) when the inbox retention is too
    short for the consumed topics. A broker that cannot be reached now is not a reason to
    refuse (the outbox absorbs Kafka outages): the inbox is then simply not purged until a
    later start-up has checked."""
    if not topics:
        runtime.extras[INBOX_RETENTION_CHECKED] = True  # consumes nothing: nothing to redeliver
        return
    try:
        retention = await read_topic_retention(runtime.settings, topics)
    except Exception as exc:
        log.warning(
            "topic retention unknown (broker or topic not reachable): inbox records are "
            "kept, not purged, until a start-up has checked",
            extra={"error": f"{type(exc).__name__}: {exc}"[:300]},
        )
        return
    verify_inbox_retention(runtime.settings.inbox_retention_days, retention)
    runtime.extras[INBOX_RETENTION_CHECKED] = True


async def purge_messaging_history(runtime: ServiceHost) -> int:
    settings = runtime.settings
    removed = 0
    purges = [(_OLD_OUTBOX, settings.outbox_retention_days)]
    if runtime.extras.get(INBOX_RETENTION_CHECKED):
        purges.append((_OLD_INBOX, settings.inbox_retention_days))
    for statement, days in purges:
        while True:
            async with runtime.db.engine.begin() as conn:
                count = (await conn.execute(statement, {"days": days, "batch": _BATCH})).rowcount
            removed += count
            if count < _BATCH:
                break
    return removed
