"""Housekeeping of the messaging tables: published outbox rows and old inbox records.

Published outbox rows are history once the broker has them; inbox records must outlive
any redelivery (Kafka keeps messages 7 days), so they are kept far longer. Deleted in
bounded batches so the job never holds long locks.
"""

from __future__ import annotations

from sqlalchemy import text

from shared.runtime import ServiceRuntime

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


async def purge_messaging_history(runtime: ServiceRuntime) -> int:
    settings = runtime.settings
    removed = 0
    for statement, days in (
        (_OLD_OUTBOX, settings.outbox_retention_days),
        (_OLD_INBOX, settings.inbox_retention_days),
    ):
        while True:
            async with runtime.db.engine.begin() as conn:
                count = (await conn.execute(statement, {"days": days, "batch": _BATCH})).rowcount
            removed += count
            if count < _BATCH:
                break
    return removed
