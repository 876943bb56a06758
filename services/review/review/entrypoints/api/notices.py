"""/api/v1/public/notices — public: publicity lists, announcements and revocations with
enterprise name, USCC, region and agency only (no contact person, phone or e-mail)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession

from review import views
from review.adapters.tables import PublicNoticeRow
from review.entrypoints.api.schemas import NoticeEntryOut, NoticeOut
from shared.kernel.errors import NotFound
from shared.platform.web.deps import Runtime
from shared.platform.web.pagination import Page, PageQuery
from shared.platform.web.params import OptionalYearQuery

router = APIRouter(prefix="/api/v1/public/notices", tags=["public notices"])


class NoticeNotFound(NotFound):
    code = "notice_not_found"
    message = "未找到该公告"
    message_en = "Notice not found"


async def _with_entries(session: AsyncSession, notices: list[PublicNoticeRow]) -> list[NoticeOut]:
    """The entries of a page of notices in one query."""
    entries = await views.notice_entries(session, [n.id for n in notices])
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
            entries=[
                NoticeEntryOut(
                    uscc=e.uscc,
                    enterprise_name=e.enterprise_name,
                    region_code=e.region_code,
                    agency=e.agency,
                    registration_number=e.registration_number,
                    ground=e.ground,
                )
                for e in entries[n.id]
            ],
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
    async with runtime.db.sessions() as session:
        items, cursor = await views.notices(session, page, kind=kind, year=year)
        return {"items": await _with_entries(session, items), "next_cursor": cursor}


@router.get("/{notice_id}", response_model=NoticeOut)
async def get_notice(notice_id: uuid.UUID, runtime: Runtime) -> NoticeOut:
    """公开：一则公告及其企业名单（不含联系方式）。
    Public: one notice with its list of enterprises (no contact data)."""
    async with runtime.db.sessions() as session:
        row = await views.notice(session, notice_id)
        if row is None:
            raise NoticeNotFound()
        return (await _with_entries(session, [row]))[0]
