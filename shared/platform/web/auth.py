"""FastAPI dependencies for authentication and role checks (small aliases keep routes short)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant

from shared.kernel.errors import Forbidden, Unauthorized
from shared.platform.auth.principal import Principal, Role
from shared.platform.auth.tokens import InvalidToken, TokenVerifier


def _verifier(request: Request) -> TokenVerifier:
    verifier: TokenVerifier = request.app.state.runtime.verifier
    return verifier


# Every dependency here is `async def` although none awaits: FastAPI runs a plain `def`
# dependency in its thread pool, three hops per protected request (profiled: ~12% of a
# submit's samples); verifying a token is microseconds of CPU, fine on the event loop.
async def optional_principal(request: Request) -> Principal | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized(message_en="Authorization must be 'Bearer <token>'")
    try:
        return _verifier(request).verify(token.strip())
    except InvalidToken as exc:  # our own words (shared.platform.auth.tokens), never the library's
        raise Unauthorized(message_en=f"Invalid token: {exc}") from exc


async def require_principal(
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    if principal is None:
        raise Unauthorized()
    return principal


_GUARD = "__sme_auth_guard__"  # marks the dependencies that authenticate or authorise
setattr(require_principal, _GUARD, True)


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]
CurrentPrincipal = Annotated[Principal, Depends(require_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    allowed = frozenset(roles)

    async def check(principal: CurrentPrincipal) -> Principal:
        if principal.role not in allowed:
            raise Forbidden(
                message=f"该操作仅限：{'、'.join(r.value for r in roles)}",
                message_en=f"Only for: {', '.join(r.value for r in roles)}",
            )
        return principal

    setattr(check, _GUARD, True)
    return check


def _guards(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    """The auth dependencies of a route, in the order FastAPI would call them."""
    for sub in dependant.dependencies:
        yield from _guards(sub)
        if sub.call is not None and getattr(sub.call, _GUARD, False):
            yield sub.call


async def authorise_before_validation(request: Request) -> None:
    """Run a protected route's authentication and role checks for a request whose body or
    parameters failed validation, so an anonymous or wrong-role caller gets 401/403 and
    never field-by-field feedback on a write it may not make. (FastAPI decodes the body
    before any dependency runs; the validation handler calls this first.) Raises
    Unauthorized or Forbidden; returns when the caller may see the validation errors."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if not isinstance(dependant, Dependant):
        return
    guards = list(_guards(dependant))
    if not guards:
        return  # a public route: validation feedback is for everyone
    principal = await optional_principal(request)
    for guard in guards:
        principal = await guard(principal)
