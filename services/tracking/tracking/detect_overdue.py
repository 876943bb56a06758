"""Run the overdue detection once against DATABASE_URL and exit (an admin command).

    DATABASE_URL=postgresql+asyncpg://... python -m tracking.detect_overdue

The same set-based run as the periodic job and `POST /api/v1/tracking/overdue-detection`:
the events go into the outbox, and the service's relay publishes them.
"""

from __future__ import annotations

import asyncio
import sys

from shared.kernel.calendar.clock import SystemClock
from shared.kernel.events.envelope import source_of
from shared.platform.db.audit import Actor
from shared.platform.db.engine import Database
from shared.platform.messaging.unit_of_work import UnitOfWorkFactory
from tracking.adapters.unit_of_work import SqlTrackingUnitOfWork
from tracking.config import SERVICE, get_settings
from tracking.service_layer.overdue import detect_overdue


async def main() -> int:
    settings = get_settings()
    db = Database.connect(settings.database_url, pool_size=1, application_name=f"{SERVICE}-cli")
    uow_factory = UnitOfWorkFactory(
        db, source=source_of(SERVICE), topic_prefix=settings.kafka_topic_prefix
    )
    clock = SystemClock()
    try:
        async with uow_factory(Actor(sub=f"cli:{SERVICE}.detect_overdue", role="system")) as work:
            run = await detect_overdue(SqlTrackingUnitOfWork(work), clock.today(), clock.now())
    finally:
        await db.dispose()
    print(
        f"overdue detection on {run.today.isoformat()}: {run.marked} obligation(s) marked overdue"
    )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
