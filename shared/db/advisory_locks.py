"""Transaction-scoped advisory locks (released when the transaction ends): a periodic job
tries one so that one replica does the work and the others skip it; a use case waits for
one to serialise work on one value."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_TRY_LOCK = text("SELECT pg_try_advisory_xact_lock(:ns, :key)")


async def try_xact_lock(session: AsyncSession, namespace: int, key: int) -> bool:
    """Take the lock (namespace, key) if it is free; False when another transaction holds it."""
    return bool((await session.execute(_TRY_LOCK, {"ns": namespace, "key": key})).scalar())


_LOCK_TEXT = text("SELECT pg_advisory_xact_lock(:ns, hashtext(:key))")


async def xact_lock_text(session: AsyncSession, namespace: int, key: str) -> None:
    """Wait for the lock (namespace, hash of `key`): serialises work on one value, such as
    two identical filings arriving at the same instant."""
    await session.execute(_LOCK_TEXT, {"ns": namespace, "key": key})
