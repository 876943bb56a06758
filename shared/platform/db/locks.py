"""Every PostgreSQL advisory-lock id the services take, named in one place, and the
transaction-scoped ways to take them.

Advisory locks share one key space per database, and several services' tables may live
in one cluster in small deployments: two features picking the same number would serialise
(or, with the try-variants, silently skip) each other's work. New locks get a new member
here, never a literal at the call site.
"""

from __future__ import annotations

from enum import IntEnum, unique

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


@unique  # two members with one id would silently be one lock
class AdvisoryLock(IntEnum):
    # Session lock: two replicas starting together must not both run DDL.
    MIGRATIONS = 7_150_000
    # (namespace, year): consecutive policy versions when two officers save one year at once.
    POLICY_VERSION = 7_150_001
    # Seed of hashtextextended(key): review's per-enterprise / IP / contact claims.
    REVIEW_CLAIMS = 7_150_002
    # (namespace, year): one replica closes a year's open review cases.
    REVIEW_YEAR_CLOSE = 7_150_003
    # (namespace, year): one replica closes a year's intake drafts.
    INTAKE_YEAR_CLOSE = 7_150_004
    # (namespace, hashtext(fingerprint)): identical supervision filings wait for each other.
    DUPLICATE_FILING = 7_150_501


# Transaction-scoped (released when the transaction ends): a periodic job tries one so that one
# replica does the work and the others skip it; a use case waits for one to serialise work on
# one value.
_TRY_LOCK = text("SELECT pg_try_advisory_xact_lock(:ns, :key)")
_LOCK_TEXT = text("SELECT pg_advisory_xact_lock(:ns, hashtext(:key))")


async def try_xact_lock(session: AsyncSession, lock: AdvisoryLock, key: int) -> bool:
    """Take the lock (lock, key) if it is free; False when another transaction holds it."""
    params = {"ns": int(lock), "key": key}
    return bool((await session.execute(_TRY_LOCK, params)).scalar())


async def xact_lock_text(session: AsyncSession, lock: AdvisoryLock, key: str) -> None:
    """Wait for the lock (lock, hash of `key`): serialises work on one value, such as two
    identical filings arriving at the same instant."""
    await session.execute(_LOCK_TEXT, {"ns": int(lock), "key": key})
