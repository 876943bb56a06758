"""FastAPI dependencies for authentication and role checks (small aliases keep routes short)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from shared.auth.principal import Principal, Role
from shared.auth.tokens import InvalidToken, TokenVerifier
from shared.errors import Forbidden, Unauthorized


def _verifier(request: Request) -> TokenVerifier:
    verifier: TokenVerifier = request.app.state.runtime.verifier
    return verifier


def optional_principal(request: Request) -> Principal | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized(message_en="Authorization must be 'Bearer <token>'")
    try:
        return _verifier(request).verify(token.strip())
    except InvalidToken as exc:
        raise Unauthorized(message_en=f"Invalid token: {exc}") from exc


def require_principal(
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    if principal is None:
        raise Unauthorized()
    return principal


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]
CurrentPrincipal = Annotated[Principal, Depends(require_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Principal]:
    allowed = frozenset(roles)

    def check(principal: CurrentPrincipal) -> Principal:
        if principal.role not in allowed:
            raise Forbidden(
                message=f"该操作仅限：{'、'.join(r.value for r in roles)}",
                message_en=f"Only for: {', '.join(r.value for r in roles)}",
            )
        return principal

    return check
