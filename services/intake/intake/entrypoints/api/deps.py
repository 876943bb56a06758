"""Who may call what: role aliases that keep route signatures short (403 for other roles),
declared once in shared.platform.web.params. `Reader` is the owner, an agency (its jurisdiction) or
the province; scoping is done per record."""

from __future__ import annotations

from intake.domain.errors import UnknownEvaluationYear
from shared.kernel.policy.model import Policy
from shared.platform.policies.store import UnknownPolicyYear
from shared.platform.runtime import ServiceRuntime
from shared.platform.web.params import Enterprise, Province, Reader

__all__ = ["Enterprise", "Province", "Reader", "policy_for_form"]


async def policy_for_form(runtime: ServiceRuntime, year: int) -> Policy:
    """The year's effective policy; a form of a year without one is bad input (422)."""
    try:
        return await runtime.policies.get(year)
    except UnknownPolicyYear as exc:
        raise UnknownEvaluationYear(year, ["body", "year"]) from exc
