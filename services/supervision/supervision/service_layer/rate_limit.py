"""Per-client rate limit of public filings: a fixed-window counter in PostgreSQL.

Each filing attempt increments the counter of (client key, current window) with one
atomic upsert and reads the new count back; above the limit the attempt is refused (429).
Because the counter is a row in the shared database, the limit holds across any number of
replicas (an in-memory counter would multiply it by the replica count). A fixed window
lets a client send up to twice the limit across a window boundary, an accepted trade-off
for one round trip per request.

The client key is hashed before it is stored: addresses are personal data, and the rows
are deleted two windows after they end.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert

from shared.db.engine import Database
from shared.runtime import ServiceRuntime
from supervision.adapters.tables import FilingRateWindowRow
from supervision.config import supervision_settings


def window_start(now: datetime, window_seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % window_seconds, tz=UTC)


def hashed(client_key: str) -> str:
    return hashlib.sha256(f"sme-supervision-filing:{client_key}".encode()).hexdigest()


async def count_attempt(db: Database, client_key: str, now: datetime, window_seconds: int) -> int:
    """Count one attempt in its own short transaction; returns the window's count."""
    insert = pg_insert(FilingRateWindowRow).values(
        client_key=hashed(client_key), window_start=window_start(now, window_seconds), count=1
    )
    stmt = insert.on_conflict_do_update(
        index_elements=[FilingRateWindowRow.client_key, FilingRateWindowRow.window_start],
        set_={"count": FilingRateWindowRow.count + 1},
    ).returning(FilingRateWindowRow.count)
    async with db.sessions() as session, session.begin():
        return int((await session.execute(stmt)).scalar_one())


async def purge_old_windows(runtime: ServiceRuntime) -> int:
    settings = supervision_settings(runtime.settings)
    cutoff = runtime.clock.now() - timedelta(seconds=2 * settings.filing_rate_window_seconds)
    async with runtime.db.sessions() as session, session.begin():
        result = await session.execute(
            delete(FilingRateWindowRow).where(FilingRateWindowRow.window_start < cutoff)
        )
    return int(getattr(result, "rowcount", 0) or 0)
