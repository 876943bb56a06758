"""Who may call what: role aliases that keep route signatures short (403 for other roles)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from intake.domain.errors import UnknownEvaluationYear
from shared.auth.principal import Principal, Role
from shared.policy.model import Policy
from shared.policy.store import UnknownPolicyYear
from shared.runtime import ServiceRuntime
from shared.web.auth import require_roles

Enterprise = Annotated[Principal, Depends(require_roles(Role.ENTERPRISE))]
Province = Annotated[Principal, Depends(require_roles(Role.PROVINCE))]
# The owner, an agency (its jurisdiction) or the province; scoping is done per record.
Reader = Annotated[Principal, Depends(require_roles(Role.ENTERPRISE, Role.AGENCY, Role.PROVINCE))]


async def policy_for_form(runtime: ServiceRuntime, year: int) -> Policy:
    """The year's effective policy; a form of a year without one is bad input (422)."""
    try:
        return await runtime.policies.get(year)
    except UnknownPolicyYear as exc:
        raise UnknownEvaluationYear(year, ["body", "year"]) from exc
