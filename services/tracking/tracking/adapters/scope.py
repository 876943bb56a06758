"""Jurisdiction in SQL: an enterprise sees its own rows, an agency its own, the province all.

Every tracking table carries `uscc` and `agency`, so scoping is one indexed equality.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import ColumnElement, false, true

from shared.auth.principal import Principal, Role


def scope_condition(principal: Principal, uscc: Any, agency: Any) -> ColumnElement[bool]:
    match principal.role:
        case Role.PROVINCE:
            return true()
        case Role.AGENCY:
            return cast(ColumnElement[bool], agency == principal.org)
        case Role.ENTERPRISE:
            return cast(ColumnElement[bool], uscc == principal.uscc)
        case _:
            return false()
