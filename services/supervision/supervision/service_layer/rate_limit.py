"""Per-client limit of public filings: a sliding window over ACCEPTED filings, in PostgreSQL.

The window (`filing_rate_window_seconds`) is split into `BUCKETS` buckets; each accepted
filing increments its client's current bucket in the filing's own transaction, so a filing
that fails (malformed, refused, rolled back) costs the client nothing, and the limit holds
across replicas. A new filing is refused (429) while the buckets of the last window hold
`filing_rate_limit` filings; `Retry-After` says when enough of them leave the window for
one more. Unlike the fixed hourly counter this replaces, one busy moment does not lock an
office behind one address out for the rest of the hour, and the quota frees up gradually.
(Two filings racing at the very limit may both pass: a bound, not an exact count.)

The client key is hashed before it is stored: addresses are personal data; buckets are
deleted once they are out of the window.
"""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from shared.platform.db.engine import Database
from shared.platform.runtime import ServiceRuntime
from supervision.adapters import rate_windows
from supervision.config import supervision_settings

BUCKETS = 12


def bucket_seconds(window_seconds: int) -> int:
    return max(window_seconds // BUCKETS, 1)


def bucket_start(now: datetime, window_seconds: int) -> datetime:
    size = bucket_seconds(window_seconds)
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % size, tz=UTC)


def hashed(client_key: str) -> str:
    return hashlib.sha256(f"sme-supervision-filing:{client_key}".encode()).hexdigest()


def seconds_until_free(
    buckets: list[tuple[datetime, int]], now: datetime, window_seconds: int, limit: int
) -> int | None:
    """None when one more filing fits in the window; otherwise how many seconds until it
    does (the oldest buckets leaving the window one by one)."""
    total = sum(count for _, count in buckets)
    if total < limit:
        return None
    for start, count in sorted(buckets):
        total -= count
        if total < limit:
            leaves = start + timedelta(seconds=window_seconds + bucket_seconds(window_seconds))
            return max(math.ceil((leaves - now).total_seconds()), 1)
    return 1  # not reached: every bucket leaves eventually


async def retry_after(
    db: Database, client_key: str, now: datetime, window_seconds: int, limit: int
) -> int | None:
    """Check the client's quota (no write): None, or the seconds to wait."""
    oldest = bucket_start(now - timedelta(seconds=window_seconds), window_seconds)
    async with db.sessions() as session:
        rows = await rate_windows.buckets_after(session, hashed(client_key), oldest)
    return seconds_until_free(rows, now, window_seconds, limit)


async def count_accepted(
    session: AsyncSession, client_key: str, now: datetime, window_seconds: int
) -> None:
    """Count an accepted filing, in the filing's own transaction."""
    await rate_windows.count_one(session, hashed(client_key), bucket_start(now, window_seconds))


async def purge_old_windows(runtime: ServiceRuntime) -> int:
    settings = supervision_settings(runtime.settings)
    cutoff = runtime.clock.now() - timedelta(seconds=2 * settings.filing_rate_window_seconds)
    async with runtime.db.sessions() as session, session.begin():
        return await rate_windows.delete_before(session, cutoff)
