"""Scoping rules: an enterprise sees its own records, an agency its jurisdiction, the
province everything. Records carry the code of the agency they were routed to, so a
jurisdiction check is one equality (and one indexed column in SQL).

Forbidden is 403 (wrong role); someone else's record is 404 (architecture.md "Security").
Every list and every single-record read of every service goes through `Jurisdiction`, so
the rule is written once: `where()` for lists, `require()` for one record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlalchemy import ColumnElement, false, true

from shared.kernel.errors import DomainError
from shared.platform.auth.principal import Principal, Role

R = TypeVar("R")


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


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """Which columns of a table say whose a record is: `agency` (the agency it was routed
    to) and, where the enterprise may read it, `uscc`. A column left out means that role
    sees none of the table (an enterprise has no business in review cases).

    Declared once per table (in the service's views or adapters), e.g.
    `CASES = Jurisdiction(agency=ReviewCaseRow.agency)`; then `CASES.where(principal)` is
    the WHERE clause of a list and `CASES.require(principal, row, CaseNotFound())` returns
    the record or raises the 404 the contract asks for someone else's record.
    """

    agency: Any = None  # a mapped attribute or a Core column
    uscc: Any = None

    def where(self, principal: Principal) -> ColumnElement[bool]:
        match principal.role:
            case Role.PROVINCE:
                return true()
            case Role.AGENCY if self.agency is not None:
                return cast(ColumnElement[bool], self.agency == principal.org)
            case Role.ENTERPRISE if self.uscc is not None:
                return cast(ColumnElement[bool], self.uscc == principal.uscc)
            case _:
                return false()

    def sees(self, principal: Principal, record: object) -> bool:
        return can_see(
            principal,
            uscc=self._value(record, self.uscc),
            agency=self._value(record, self.agency),
        )

    def require(self, principal: Principal, record: R | None, not_found: DomainError) -> R:
        """The record if the principal may see it; otherwise `not_found`, raised alike for
        an unknown record and someone else's (a probe learns nothing). Usually a 404; a use
        case may name a 422 where the record is an input (an unknown registration number)."""
        if record is None or not self.sees(principal, record):
            raise not_found
        return record

    @staticmethod
    def _value(record: object, column: Any) -> str | None:
        if column is None:
            return None
        return cast(str | None, getattr(record, column.key))
