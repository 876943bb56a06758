"""Transaction-scoped advisory locks that serialise work on one enterprise or one shared
value (an IP number, a contact) across consumers and replicas, so two submissions in
flight at once still see each other's claims."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.platform.db.locks import AdvisoryLock

# Keys are taken in sorted order (unnest keeps array order), so two transactions never wait
# on each other crosswise.
_LOCK = text("""
    SELECT count(pg_advisory_xact_lock(hashtextextended(k, CAST(:seed AS bigint))))
    FROM unnest(CAST(:keys AS text[])) WITH ORDINALITY AS t(k, i)
""")


async def lock(session: AsyncSession, keys: Iterable[str]) -> None:
    ordered = sorted(set(keys))
    if ordered:
        await session.execute(_LOCK, {"keys": ordered, "seed": int(AdvisoryLock.REVIEW_CLAIMS)})


def enterprise_key(uscc: str) -> str:
    return f"enterprise:{uscc}"


def ip_key(year: int, number: str) -> str:
    return f"ip:{year}:{number}"


def contact_key(year: int, kind: str, value: str) -> str:
    return f"contact:{year}:{kind}:{value}"
