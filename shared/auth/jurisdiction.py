"""Scoping rules: an enterprise sees its own records, an agency its jurisdiction, the
province everything. Records carry the code of the agency they were routed to, so a
jurisdiction check is one equality (and one indexed column in SQL).

Forbidden is 403 (wrong role); someone else's record is 404 (architecture.md "Security").
"""

from __future__ import annotations

from shared.auth.principal import Principal, Role


def can_see(principal: Principal, *, uscc: str | None, agency: str | None) -> bool:
    match principal.role:
        case Role.PROVINCE:
            return True
        case Role.AGENCY:
            return agency is not None and principal.org == agency
        case Role.ENTERPRISE:
            return uscc is not None and principal.uscc == uscc
        case _:
            return False


def agency_scope(principal: Principal) -> str | None:
    """The agency code a list must be filtered by, or None for the whole province."""
    if principal.role is Role.AGENCY:
        return principal.org
    return None
