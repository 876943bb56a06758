"""The year-end spot check (集中抽查) in SQL: the population a sample is drawn from, the
sample's items in one statement, and one item locked for its result."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from review.adapters.tables import RegistrationRow, SpotCheckItemRow, SpotCheckRow
from review.domain.status import RegistrationStatus


async def population(session: AsyncSession, year: int) -> Sequence[Any]:
    """Number, agency, USCC and name of every valid registration of the year, by number."""
    stmt = (
        select(
            RegistrationRow.number,
            RegistrationRow.agency,
            RegistrationRow.uscc,
            RegistrationRow.enterprise_name,
        )
        .where(
            RegistrationRow.year == year,
            RegistrationRow.status == RegistrationStatus.VALID.value,
        )
        .order_by(RegistrationRow.number)
    )
    return (await session.execute(stmt)).all()


async def add_items(session: AsyncSession, items: Sequence[SpotCheckItemRow]) -> None:
    """The sample's items (one multi-row INSERT)."""
    if not items:
        return
    columns = ("spot_check_id", "registration_number", "uscc", "enterprise_name", "agency")
    rows = [{c: getattr(item, c) for c in columns} for item in items]
    await session.execute(insert(SpotCheckItemRow), rows)


async def lock_item(
    session: AsyncSession, spot_check_id: uuid.UUID, number: str
) -> SpotCheckItemRow | None:
    stmt = (
        select(SpotCheckItemRow)
        .where(
            SpotCheckItemRow.spot_check_id == spot_check_id,
            SpotCheckItemRow.registration_number == number,
        )
        .with_for_update()
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def year_of(session: AsyncSession, spot_check_id: uuid.UUID) -> int:
    stmt = select(SpotCheckRow.year).where(SpotCheckRow.id == spot_check_id)
    return int((await session.execute(stmt)).scalar_one())
