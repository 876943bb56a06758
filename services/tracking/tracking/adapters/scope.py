"""Jurisdiction in SQL: an enterprise sees its own rows, an agency its own, the province all.

Every tracking table carries `uscc` and `agency`, so scoping is one indexed equality.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, true

from shared.auth.principal import Principal, Role


def scope_condition(principal: Principal, uscc: Any, agency: Any) -> ColumnElement[bool]:
    match principal.role:
        case Role.PROVINCE:
            return true()
        case Role.AGENCY:
            result: ColumnElement[bool] = agency == principal.org
            return result
        case Role.ENTERPRISE:
            result = uscc == principal.uscc
            return result
        case _:
            return false()
