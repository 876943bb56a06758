"""Which exceptions mean "the database is unreachable right now" rather than "a bug".

An outage (server stopped, restarting, failing over, network gone, pool exhausted, a
command past its timeout) must answer 503 with `Retry-After`, never 500: the request can
be retried as is once the database is back, and the pool reconnects by itself
(`pool_pre_ping`). The web layer asks `is_database_outage` in one place
(`shared.platform.web.errors`).
"""

from __future__ import annotations

import asyncpg
from sqlalchemy import exc as sa_exc

# SQLSTATE classes and codes of a server that is gone or not accepting work:
# 08 connection exception, 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot
# connect now (starting up / shutting down), 53300 too many connections.
_OUTAGE_SQLSTATE_CLASSES = ("08",)
_OUTAGE_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "53300"})

_OUTAGE_TYPES: tuple[type[BaseException], ...] = (
    ConnectionError,  # refused / reset while connecting or talking
    TimeoutError,  # connect timeout or command_timeout (asyncio.TimeoutError is this)
    sa_exc.TimeoutError,  # no pooled connection free within pool_timeout
    asyncpg.InterfaceError,  # e.g. "connection is closed"
    asyncpg.PostgresConnectionError,  # ConnectionDoesNotExistError, ...
    asyncpg.CannotConnectNowError,
)


def _sqlstate(exc: BaseException) -> str:
    state = getattr(exc, "sqlstate", None)
    return state if isinstance(state, str) else ""


def is_database_outage(exc: BaseException) -> bool:
    """True when `exc` (or what it wraps) says the database cannot be reached right now."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, sa_exc.DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, _OUTAGE_TYPES):
            return True
        state = _sqlstate(current)
        if state.startswith(_OUTAGE_SQLSTATE_CLASSES) or state in _OUTAGE_SQLSTATES:
            return True
        wrapped = getattr(current, "orig", None)
        if isinstance(wrapped, BaseException) and id(wrapped) not in seen:
            current = wrapped
            continue
        current = current.__cause__  # explicit chaining only: not whatever was in flight
    return False
