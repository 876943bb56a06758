"""Housekeeping removes only history: published outbox rows and old inbox records."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import func, insert, select, text

from shared.db.engine import Database
from shared.db.metadata import inbox, outbox
from shared.messaging.retention import purge_messaging_history
from shared.settings import ServiceSettings

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
    runtime = SimpleNamespace(db=database, settings=ServiceSettings(SME_ENVIRONMENT="test"))
    assert await purge_messaging_history(runtime) == 2  # type: ignore[arg-type]
    async with database.sessions() as session:
        kept = (await session.execute(select(outbox.c.event_id).order_by(outbox.c.id))).all()
        inbox_left = (await session.execute(select(func.count()).select_from(inbox))).scalar()
    assert [r.event_id[-1] for r in kept] == ["2", "3"]
    assert inbox_left == 1
