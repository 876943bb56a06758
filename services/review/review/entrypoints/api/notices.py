"""/api/v1/public/notices — public: publicity lists, announcements and revocations with
enterprise name, USCC, region and agency only (no contact person, phone or e-mail)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from review.adapters.tables import PublicNoticeEntryRow, PublicNoticeRow
from review.entrypoints.api.schemas import NoticeEntryOut, NoticeOut
from shared.errors import NotFound
from shared.web.deps import Runtime
from shared.web.pagination import Page, PageQuery, keyset, page_of
from shared.web.params import OptionalYearQuery

router = APIRouter(prefix="/api/v1/public/notices", tags=["public notices"])


class NoticeNotFound(NotFound):
    code = "notice_not_found"
    message = "未找到该公告"
    message_en = "Notice not found"


async def _with_entries(session: AsyncSession, notices: list[PublicNoticeRow]) -> list[NoticeOut]:
    """The entries of a page of notices in one query."""
    ids = [n.id for n in notices]
    entries: dict[uuid.UUID, list[NoticeEntryOut]] = {i: [] for i in ids}
    if ids:
        stmt = (
            select(PublicNoticeEntryRow)
            .where(PublicNoticeEntryRow.notice_id.in_(ids))
            .order_by(
                PublicNoticeEntryRow.notice_id,
                PublicNoticeEntryRow.registration_number,
                PublicNoticeEntryRow.region_code,
                PublicNoticeEntryRow.uscc,
            )
        )
        for e in (await session.execute(stmt)).scalars():
            entries[e.notice_id].append(
                NoticeEntryOut(
                    uscc=e.uscc,
                    enterprise_name=e.enterprise_name,
                    region_code=e.region_code,
                    agency=e.agency,
                    registration_number=e.registration_number,
                    ground=e.ground,
                )
            )
    return [
        NoticeOut(
            id=str(n.id),
            kind=n.kind,
            year=n.year,
            title=n.title,
            title_en=n.title_en,
            published_on=n.published_on,
            starts_on=n.starts_on,
            ends_on=n.ends_on,
            batch_id=str(n.batch_id) if n.batch_id else None,
            entries=entries[n.id],
        )
        for n in notices
    ]


@router.get("", response_model=Page[NoticeOut])
async def list_notices(
    runtime: Runtime,
    page: PageQuery,
    kind: Annotated[Literal["publicity", "announcement", "revocation"] | None, Query()] = None,
    year: OptionalYearQuery = None,
) -> dict[str, Any]:
    """公开：公示、入库公告和撤销公告，新的在前。
    Public: publicity, registration and revocation notices, newest first."""
    stmt = select(PublicNoticeRow)
    if kind is not None:
        stmt = stmt.where(PublicNoticeRow.kind == kind)
    if year is not None:
        stmt = stmt.where(PublicNoticeRow.year == year)
    stmt = keyset(
        stmt,
        [PublicNoticeRow.published_on, PublicNoticeRow.created_at, PublicNoticeRow.id],
        page,
        convert=[date.fromisoformat, datetime.fromisoformat, uuid.UUID],
    )
    async with runtime.db.sessions() as session:
        rows = list((await session.execute(stmt)).scalars().all())
        items, cursor = page_of(
            rows,
            page,
            lambda r: [r.published_on.isoformat(), r.created_at.isoformat(), str(r.id)],
        )
        return {"items": await _with_entries(session, items), "next_cursor": cursor}


@router.get("/{notice_id}", response_model=NoticeOut)
async def get_notice(notice_id: uuid.UUID, runtime: Runtime) -> NoticeOut:
    """公开：一则公告及其企业名单（不含联系方式）。
    Public: one notice with its list of enterprises (no contact data)."""
    async with runtime.db.sessions() as session:
        row = await session.get(PublicNoticeRow, notice_id)
        if row is None:
            raise NoticeNotFound()
        return (await _with_entries(session, [row]))[0]
