"""The buckets of the public filing limit (`service_layer.rate_limit`) in SQL: read a
client's buckets, count one accepted filing, delete the buckets out of the window."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.adapters.tables import FilingRateWindowRow


async def buckets_after(
    session: AsyncSession, client_key: str, oldest: datetime
) -> list[tuple[datetime, int]]:
    """(start, count) of the client's buckets that started after `oldest`."""
    stmt = select(FilingRateWindowRow.window_start, FilingRateWindowRow.count).where(
        FilingRateWindowRow.client_key == client_key,
        FilingRateWindowRow.window_start > oldest,
    )
    return [(start, int(count)) for start, count in (await session.execute(stmt)).all()]


async def count_one(session: AsyncSession, client_key: str, window_start: datetime) -> None:
    stmt = pg_insert(FilingRateWindowRow).values(
        client_key=client_key, window_start=window_start, count=1
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[FilingRateWindowRow.client_key, FilingRateWindowRow.window_start],
            set_={"count": FilingRateWindowRow.count + 1},
        )
    )


async def delete_before(session: AsyncSession, cutoff: datetime) -> int:
    result = await session.execute(
        delete(FilingRateWindowRow).where(FilingRateWindowRow.window_start < cutoff)
    )
    return int(getattr(result, "rowcount", 0) or 0)
