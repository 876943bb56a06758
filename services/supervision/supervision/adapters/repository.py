"""Queries the service layer needs (one indexed query each; no N+1)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.adapters.tables import (
    CaseRow,
    CaseStepRow,
    CreditEntryRow,
    PublicityBatchRow,
    PublicityEntryRow,
    RegistrationRow,
    RevocationRow,
)
from supervision.domain.credit import JOINT_PUNISHMENT_GROUNDS


async def get_case(
    session: AsyncSession, case_id: uuid.UUID, *, for_update: bool = False
) -> CaseRow | None:
    stmt = select(CaseRow).where(CaseRow.id == case_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def steps_of(session: AsyncSession, case_id: uuid.UUID) -> list[CaseStepRow]:
    stmt = select(CaseStepRow).where(CaseStepRow.case_id == case_id).order_by(CaseStepRow.id)
    return list((await session.execute(stmt)).scalars().all())


async def duplicate_of(session: AsyncSession, fingerprint: str, since: datetime) -> CaseRow | None:
    stmt = (
        select(CaseRow)
        .where(CaseRow.fingerprint == fingerprint, CaseRow.filed_at >= since)
        .order_by(CaseRow.filed_at)
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def batch_entry(
    session: AsyncSession, batch_id: str, uscc: str
) -> tuple[PublicityBatchRow | None, PublicityEntryRow | None]:
    batch = await session.get(PublicityBatchRow, batch_id)
    if batch is None:
        return None, None
    return batch, await session.get(PublicityEntryRow, (batch_id, uscc))


async def newest_registration(session: AsyncSession, uscc: str) -> RegistrationRow | None:
    stmt = (
        select(RegistrationRow)
        .where(RegistrationRow.uscc == uscc)
        .order_by(RegistrationRow.year.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def newest_publicity_entry(session: AsyncSession, uscc: str) -> PublicityEntryRow | None:
    stmt = (
        select(PublicityEntryRow)
        .where(PublicityEntryRow.uscc == uscc)
        .order_by(PublicityEntryRow.starts_on.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def registration(
    session: AsyncSession, number: str, *, for_update: bool = False
) -> RegistrationRow | None:
    stmt = select(RegistrationRow).where(RegistrationRow.number == number)
    if for_update:
        # Locked, it is read afresh: an upsert earlier in the transaction (the local views'
        # handlers) changes the row behind a copy the session may hold.
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return (await session.execute(stmt)).scalar_one_or_none()


async def registrations_valid_on(
    session: AsyncSession, uscc: str, day: date
) -> Sequence[RegistrationRow]:
    """The enterprise's registrations in force on `day` (not revoked, not expired)."""
    stmt = select(RegistrationRow).where(
        RegistrationRow.uscc == uscc,
        RegistrationRow.status == "valid",
        (RegistrationRow.valid_until.is_(None)) | (RegistrationRow.valid_until >= day),
    )
    return (await session.execute(stmt)).scalars().all()


async def punishable_credit_entries(session: AsyncSession, uscc: str) -> Sequence[CreditEntryRow]:
    """The enterprise's entries that start joint punishment (listings, incidents)."""
    stmt = select(CreditEntryRow).where(
        CreditEntryRow.uscc == uscc,
        CreditEntryRow.kind.in_([k.value for k in JOINT_PUNISHMENT_GROUNDS]),
    )
    return (await session.execute(stmt)).scalars().all()


async def usccs_with_punishable_entries(session: AsyncSession, usccs: Collection[str]) -> set[str]:
    """Which of these enterprises have an entry that starts joint punishment."""
    stmt = (
        select(CreditEntryRow.uscc)
        .distinct()
        .where(
            CreditEntryRow.uscc.in_(list(usccs)),
            CreditEntryRow.kind.in_([k.value for k in JOINT_PUNISHMENT_GROUNDS]),
        )
    )
    return set((await session.execute(stmt)).scalars().all())


async def get_revocation(
    session: AsyncSession, revocation_id: uuid.UUID, *, for_update: bool = False
) -> RevocationRow | None:
    stmt = select(RevocationRow).where(RevocationRow.id == revocation_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def revocations_of_number(
    session: AsyncSession, number: str, *, statuses: Sequence[str] | None = None
) -> Sequence[RevocationRow]:
    stmt = select(RevocationRow).where(RevocationRow.number == number)
    if statuses is not None:
        stmt = stmt.where(RevocationRow.status.in_(list(statuses)))
    return (await session.execute(stmt.with_for_update())).scalars().all()
