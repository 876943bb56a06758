"""The kept policy versions (`policy_version`, in every service's database) inside a
transaction, for the use cases that must not trust a cache: the version a save replaces, the
newest version of a year, the newest document of every year, the next version number; and
keeping one. `SqlPolicyVersions` is the repository of `shared.platform.db.ports.PolicyVersions`
on a session (the in-memory one is in `shared.platform.db.in_memory`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.kernel.policy.loader import shipped_policy
from shared.kernel.policy.model import Policy
from shared.platform.db.locks import AdvisoryLock
from shared.platform.db.metadata import policy_version


async def keep(session: AsyncSession, policy: Policy, *, created_by: str | None) -> None:
    """Keep a received or newly made version (idempotent for redelivered events)."""
    await session.execute(
        pg_insert(policy_version)
        .values(
            year=policy.year,
            version=policy.version,
            document=policy.to_document(),
            created_by=created_by,
        )
        .on_conflict_do_nothing()
    )


async def stored_document(session: AsyncSession, year: int, version: int) -> Any | None:
    stmt = select(policy_version.c.document).where(
        policy_version.c.year == year, policy_version.c.version == version
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def newest_version(session: AsyncSession, year: int) -> int | None:
    newest = await session.scalar(
        select(func.max(policy_version.c.version)).where(policy_version.c.year == year)
    )
    return None if newest is None else int(newest)


async def newest_documents(session: AsyncSession) -> list[Any]:
    """The document of the newest kept version of every year."""
    latest = (
        select(policy_version.c.year, func.max(policy_version.c.version).label("version"))
        .group_by(policy_version.c.year)
        .subquery()
    )
    stmt = select(policy_version.c.document).join(
        latest,
        (policy_version.c.year == latest.c.year) & (policy_version.c.version == latest.c.version),
    )
    return list((await session.execute(stmt)).scalars())


async def next_version(session: AsyncSession, year: int) -> int:
    """The number the year's next version gets (the shipped file is version 1)."""
    # Two provincial officers saving the same year at once get consecutive versions.
    await session.execute(
        text("SELECT pg_advisory_xact_lock(:ns, :year)"),
        {"ns": int(AdvisoryLock.POLICY_VERSION), "year": year},
    )
    current = await newest_version(session, year)
    if current is None:
        try:
            current = shipped_policy(year).version
        except LookupError:
            current = 0
    return current + 1


@dataclass(frozen=True)
class SqlPolicyVersions:
    session: AsyncSession

    async def keep(self, policy: Policy, *, created_by: str | None) -> None:
        await keep(self.session, policy, created_by=created_by)

    async def stored_document(self, year: int, version: int) -> Any | None:
        return await stored_document(self.session, year, version)

    async def newest_version(self, year: int) -> int | None:
        return await newest_version(self.session, year)

    async def newest_documents(self) -> list[Any]:
        return await newest_documents(self.session)

    async def next_version(self, year: int) -> int:
        return await next_version(self.session, year)
