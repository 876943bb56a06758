"""Reads of the kept policy versions (`policy_version`, shared by every service's database)
inside a transaction, for the use cases that must not trust a cache: the version a save
replaces, the newest version of a year, the newest document of every year; and keeping one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.kernel.policy.model import Policy
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
