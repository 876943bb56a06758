"""Path and query parameters, and role sets, that the services' routes have in common.

One declaration each, so a year or a USCC is checked with the same bounds and pattern on
every route (and described the same way in the OpenAPI document). A route that needs its
own description calls the factory: `Annotated[int, year_query("calendar year")]`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path, Query

from shared.kernel.codes.uscc import USCC_PATTERN
from shared.kernel.policy.model import EARLIEST_YEAR, LATEST_YEAR
from shared.platform.auth.principal import Principal, Role
from shared.platform.web.auth import require_roles


def year_query(description: str | None = None) -> Any:
    return Query(ge=EARLIEST_YEAR, le=LATEST_YEAR, description=description)


def year_path(description: str | None = None) -> Any:
    return Path(ge=EARLIEST_YEAR, le=LATEST_YEAR, description=description)


def uscc_query(description: str | None = None) -> Any:
    return Query(pattern=USCC_PATTERN, description=description)


def uscc_path(description: str | None = None) -> Any:
    return Path(pattern=USCC_PATTERN, description=description)


YearPath = Annotated[int, year_path()]
YearQuery = Annotated[int, year_query()]
OptionalYearQuery = Annotated[int | None, year_query()]
UsccPath = Annotated[str, uscc_path()]
OptionalUsccQuery = Annotated[str | None, uscc_query()]

# Who may call a route (the order is the order of the 403 message's role list).
Enterprise = Annotated[Principal, Depends(require_roles(Role.ENTERPRISE))]
Agency = Annotated[Principal, Depends(require_roles(Role.AGENCY))]
Province = Annotated[Principal, Depends(require_roles(Role.PROVINCE))]
# The two levels of the science and technology administration.
Staff = Annotated[Principal, Depends(require_roles(Role.AGENCY, Role.PROVINCE))]
# The enterprise itself or the administration; each record is then scoped to the caller.
Reader = Annotated[Principal, Depends(require_roles(Role.ENTERPRISE, Role.AGENCY, Role.PROVINCE))]
# The administration or another agency's system (credit archives).
StaffOrExternal = Annotated[
    Principal, Depends(require_roles(Role.AGENCY, Role.PROVINCE, Role.EXTERNAL))
]
# Verifies a registration certificate: an external system or the province.
Verifier = Annotated[Principal, Depends(require_roles(Role.EXTERNAL, Role.PROVINCE))]
