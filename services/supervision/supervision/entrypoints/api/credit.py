"""/api/v1/credit/{uscc} — the credit archive (诚信档案) of one enterprise.

Readable by agencies, the province and external agencies (contract.md: no jurisdiction
limit, unlike cases): the entries are facts other authorities published, plus concluded
cases and revocations, and carry no personal data. Newest first.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from shared.platform.web.deps import Runtime
from shared.platform.web.pagination import PageQuery
from shared.platform.web.params import StaffOrExternal as Reader
from shared.platform.web.params import UsccPath
from supervision import views
from supervision.entrypoints.api.schemas import CreditArchiveOut, CreditEntryOut

router = APIRouter(prefix="/api/v1/credit", tags=["credit archive"])


@router.get("/{uscc}", response_model=CreditArchiveOut)
async def credit_archive(
    uscc: UsccPath,
    _: Reader,
    runtime: Runtime,
    page: PageQuery,
) -> dict[str, Any]:
    async with runtime.db.sessions() as session:
        items, cursor = await views.credit_entries(session, uscc, page)
    today = runtime.clock.today()
    return {
        "uscc": uscc,
        "items": [CreditEntryOut.of(r, today) for r in items],
        "next_cursor": cursor,
    }
