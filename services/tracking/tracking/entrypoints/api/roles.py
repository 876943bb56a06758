"""Who may call what (403 for other roles; jurisdiction is applied in SQL, views.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from shared.auth.principal import Principal, Role
from shared.web.auth import require_roles

Enterprise = Annotated[Principal, Depends(require_roles(Role.ENTERPRISE))]
Reader = Annotated[Principal, Depends(require_roles(Role.ENTERPRISE, Role.AGENCY, Role.PROVINCE))]
Bureau = Annotated[Principal, Depends(require_roles(Role.AGENCY, Role.PROVINCE))]
Province = Annotated[Principal, Depends(require_roles(Role.PROVINCE))]

YearQuery = Annotated[int, Query(ge=2017, le=2100, description="calendar year of the quarter")]
OptionalYear = Annotated[int | None, Query(ge=2017, le=2100)]
OptionalQuarter = Annotated[int | None, Query(ge=1, le=4)]
USCCQuery = Annotated[str | None, Query(pattern=r"^[0-9A-HJ-NPQRTUWXY]{18}$")]
