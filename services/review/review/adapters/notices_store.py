"""Public notices (公示名单, 公告, 撤销公告): written when the act happens, never edited, so
the public record shows what was published. Only enterprise name, USCC, region, agency
(and the registration number) — never contact data."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from review.adapters.tables import PublicNoticeEntryRow, PublicNoticeRow

PUBLICITY = "publicity"
ANNOUNCEMENT = "announcement"
REVOCATION = "revocation"


def new_notice(
    *,
    kind: str,
    year: int,
    title: str,
    title_en: str,
    published_on: date,
    now: datetime,
    batch_id: uuid.UUID | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> PublicNoticeRow:
    """A public notice as both implementations of the notices repository store it."""
    return PublicNoticeRow(
        id=uuid.uuid4(),
        kind=kind,
        year=year,
        batch_id=batch_id,
        title=title,
        title_en=title_en,
        published_on=published_on,
        starts_on=starts_on,
        ends_on=ends_on,
        created_at=now,
    )


async def add_notice(session: AsyncSession, notice: PublicNoticeRow) -> uuid.UUID:
    """Store a notice made by `new_notice`; its id."""
    session.add(notice)
    await session.flush()
    return notice.id


async def list_batch(session: AsyncSession, notice_id: uuid.UUID, batch_id: uuid.UUID) -> None:
    """The publicity list: every case of the batch."""
    await session.execute(
        text("""
            INSERT INTO public_notice_entry
                (notice_id, uscc, enterprise_name, region_code, agency)
            SELECT :notice, uscc, enterprise_name, region_code, agency
            FROM review_case WHERE batch_id = :batch
        """),
        {"notice": notice_id, "batch": batch_id},
    )


async def list_registrations(
    session: AsyncSession, notice_id: uuid.UUID, numbers: list[str]
) -> None:
    """An announcement: the registrations just issued, with their numbers."""
    await session.execute(
        text("""
            INSERT INTO public_notice_entry
                (notice_id, uscc, enterprise_name, region_code, agency, registration_number)
            SELECT :notice, uscc, enterprise_name, region_code, agency, number
            FROM registration WHERE number = ANY(CAST(:numbers AS text[]))
        """),
        {"notice": notice_id, "numbers": numbers},
    )


async def entries_of(session: AsyncSession, notice_id: uuid.UUID) -> list[PublicNoticeEntryRow]:
    stmt = (
        select(PublicNoticeEntryRow)
        .where(PublicNoticeEntryRow.notice_id == notice_id)
        .order_by(PublicNoticeEntryRow.uscc)
    )
    return list((await session.execute(stmt)).scalars().all())


def list_revocation(
    session: AsyncSession,
    notice_id: uuid.UUID,
    *,
    uscc: str,
    enterprise_name: str,
    region_code: str,
    agency: str,
    number: str,
    ground: str,
) -> None:
    session.add(
        PublicNoticeEntryRow(
            notice_id=notice_id,
            uscc=uscc,
            enterprise_name=enterprise_name,
            region_code=region_code,
            agency=agency,
            registration_number=number,
            ground=ground,
        )
    )
