"""Transaction-scoped advisory locks a periodic job takes so that one replica does the
work and the others skip it (the lock is released when the transaction ends)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_TRY_LOCK = text("SELECT pg_try_advisory_xact_lock(:ns, :key)")


async def try_xact_lock(session: AsyncSession, namespace: int, key: int) -> bool:
    """Take the lock (namespace, key) if it is free; False when another transaction holds it."""
    return bool((await session.execute(_TRY_LOCK, {"ns": namespace, "key": key})).scalar())
