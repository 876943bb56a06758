"""A dependency outage is a 503 `unavailable` with Retry-After, never a 500 (architecture.md
§ Round 2): the driver's connection errors are recognised centrally, bugs stay 500s."""

from __future__ import annotations

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import exc as sa_exc

from shared.kernel.errors import DependencyUnavailable
from shared.platform.db.engine import Database
from shared.platform.db.outage import is_database_outage
from shared.platform.observability.metrics import ServiceMetrics
from shared.platform.web.errors import install_error_handlers
from shared.platform.web.middleware import RequestContextMiddleware


def wrapped(
    orig: BaseException, kind: type[sa_exc.DBAPIError] = sa_exc.OperationalError
) -> Exception:
    """What SQLAlchemy raises around a driver error."""
    error = kind("SELECT 1", {}, orig)
    error.__cause__ = orig
    return error


@pytest.mark.parametrize(
    "exc",
    [
        ConnectionRefusedError(111, "Connection refused"),
        TimeoutError(),
        sa_exc.TimeoutError("QueuePool limit reached, connection timed out"),
        asyncpg.CannotConnectNowError("the database system is starting up"),
        asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        asyncpg.InterfaceError("connection is closed"),
        asyncpg.AdminShutdownError("terminating connection due to administrator command"),
        wrapped(asyncpg.CannotConnectNowError("the database system is shutting down")),
        wrapped(ConnectionResetError(104, "reset"), sa_exc.InterfaceError),
    ],
)
def test_connection_failures_are_outages(exc: BaseException) -> None:
    assert is_database_outage(exc)


@pytest.mark.parametrize(
    "exc",
    [
        RuntimeError("a bug"),
        KeyError("x"),
        wrapped(asyncpg.UniqueViolationError("duplicate key"), sa_exc.IntegrityError),
        wrapped(asyncpg.UndefinedColumnError("column x does not exist"), sa_exc.ProgrammingError),
    ],
)
def test_other_errors_are_not(exc: BaseException) -> None:
    assert not is_database_outage(exc)


def outage_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware, metrics=ServiceMetrics("test"))
    # Nothing listens on port 1: connecting is refused, as when PostgreSQL is stopped.
    db = Database.connect("postgresql+asyncpg://postgres@127.0.0.1:1/none", connect_timeout=2)

    @app.get("/needs-database")
    async def needs_database() -> None:
        await db.ping()

    @app.get("/object-store-down")
    async def object_store_down() -> None:
        raise DependencyUnavailable()

    @app.get("/bug")
    async def bug() -> None:
        raise RuntimeError("a programming error")

    return app


@pytest.mark.parametrize("path", ["/needs-database", "/object-store-down"])
async def test_outage_answers_503_envelope_with_retry_after(path: str) -> None:
    transport = httpx.ASGITransport(app=outage_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get(path)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    error = response.json()["error"]
    assert error["code"] == "unavailable"
    assert error["message"]
    assert error["message_en"]


async def test_a_bug_is_still_a_500() -> None:
    transport = httpx.ASGITransport(app=outage_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/bug")
    assert response.status_code == 500
    assert "retry-after" not in response.headers
