"""Who is filing, for abuse protection: the client address and the per-client quota.

Behind the gateway the socket peer is the gateway, so the address comes from
`X-Forwarded-For`. Each proxy *appends* the address it saw, so the entries on the left are
whatever the client sent and can be forged; the trustworthy entry is the one our own
gateway appended — `trusted_proxy_hops` places from the right (1 = the gateway's): the
first hop recorded by infrastructure we run. (uvicorn's own proxy-header handling is told to
trust every peer and takes the leftmost entry, so `request.client` is not used behind the
gateway.) Without the header, or with `trusted_proxy_hops = 0`, the socket peer is the client.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shared.kernel.errors import TooManyRequests
from shared.platform.web.auth import OptionalPrincipal
from shared.platform.web.deps import Runtime
from shared.platform.web.openapi import raises
from supervision.config import supervision_settings
from supervision.service_layer.rate_limit import retry_after


def client_address(request: Request, trusted_proxy_hops: int) -> str:
    if trusted_proxy_hops > 0:
        hops: list[str] = [
            hop.strip()
            for name, value in request.scope["headers"]
            if name == b"x-forwarded-for"
            for hop in value.decode("latin-1").split(",")
            if hop.strip()
        ]
        if hops:
            return hops[max(len(hops) - trusted_proxy_hops, 0)]
    return str(request.client.host) if request.client else "unknown"


@raises(429)
async def filing_client(request: Request, runtime: Runtime, principal: OptionalPrincipal) -> str:
    """Refuse a client whose accepted filings fill its quota; returns the client key.

    A dependency, so an over-quota client is refused before its body is even validated;
    only accepted filings are counted (by the filing's transaction, `count_accepted`).
    A signed-in caller is counted by its token subject, the public by address.
    """
    settings = supervision_settings(runtime.settings)
    if principal is not None:
        key = f"sub:{principal.sub}"
    else:
        key = f"addr:{client_address(request, settings.trusted_proxy_hops)}"
    wait = await retry_after(
        runtime.db,
        key,
        runtime.clock.now(),
        settings.filing_rate_window_seconds,
        settings.filing_rate_limit,
    )
    if wait is not None:
        raise TooManyRequests(
            f"提交过于频繁，请在 {wait} 秒后再试",
            f"too many filings from this client: at most {settings.filing_rate_limit} per "
            f"{settings.filing_rate_window_seconds} seconds; try again in {wait} seconds",
            retry_after=wait,
        )
    return key


FilingClient = Annotated[str, Depends(filing_client)]
