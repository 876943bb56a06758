"""The error shape of contract.md, for every error a service returns:

    {"error": {"code", "message": "中文", "message_en": "English",
               "details": [{"loc": [...], "msg": "中文", "msg_en": "English", "type"}]}}

Mapped here, once for all services. Bad input is a 422 with field paths, never a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.kernel.errors import (
    DependencyUnavailable,
    DomainError,
    ErrorKind,
    FieldError,
    InvalidInput,
    TooManyRequests,
    field_error,
)
from shared.platform.db.outage import is_database_outage
from shared.platform.web.auth import authorise_before_validation
from shared.platform.web.validation_messages import bilingual

log = logging.getLogger("shared.platform.web.errors")

STATUS = {
    ErrorKind.INVALID: 422,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.CONFLICT: 409,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.UNAUTHORIZED: 401,
    ErrorKind.TOO_MANY: 429,
    ErrorKind.TOO_LARGE: 413,
    ErrorKind.UNAVAILABLE: 503,
}
# How long a caller should wait before retrying a 503 (a restart or failover takes seconds).
RETRY_AFTER_SECONDS = 5

_HTTP_TEXTS = {
    401: ("unauthorized", "未登录或令牌无效", "Missing or invalid token"),
    403: ("forbidden", "无权执行该操作", "Your role may not do this"),
    404: ("not_found", "未找到", "Not found"),
    405: ("method_not_allowed", "不支持该请求方法", "Method not allowed"),
    413: ("payload_too_large", "请求内容过大", "Request body too large"),
    415: ("unsupported_media_type", "请以 JSON 提交", "Send JSON"),
    429: ("rate_limited", "请求过于频繁", "Too many requests"),
}


def error_body(
    code: str, message: str, message_en: str, details: Sequence[FieldError] = ()
) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message,
            "message_en": message_en,
            "details": list(details),
        }
    }


def validation_details(errors: Sequence[Any], prefix: Sequence[str | int] = ()) -> list[FieldError]:
    """Pydantic errors → contract details with field paths (and blame paths from `ctx.field`)."""
    details: list[FieldError] = []
    for error in errors:
        loc = [*prefix, *error.get("loc", ())]
        ctx = error.get("ctx") or {}
        extra = ctx.get("field")
        if isinstance(extra, (list, tuple)):
            loc.extend(extra)
        zh, en = bilingual(error)
        details.append(field_error(loc, zh, en, str(error.get("type"))))
    return details


def invalid_from_validation_error(
    exc: ValidationError, prefix: Sequence[str | int] = ("body",)
) -> InvalidInput:
    return InvalidInput(details=validation_details(exc.errors(include_url=False), prefix))


async def _domain_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.kind is ErrorKind.UNAUTHORIZED else None
    if isinstance(exc, DependencyUnavailable):
        headers = {"Retry-After": str(exc.retry_after_seconds)}
    if isinstance(exc, TooManyRequests):
        headers = {"Retry-After": str(exc.retry_after)}
    return JSONResponse(
        error_body(exc.code, exc.message, exc.message_en, exc.details),
        status_code=STATUS[exc.kind],
        headers=headers,
    )


async def _request_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    try:
        await authorise_before_validation(request)  # 401/403 before any field feedback
    except DomainError as refused:
        return await _domain_error(request, refused)
    err = InvalidInput(details=validation_details(exc.errors()))
    return JSONResponse(
        error_body(err.code, err.message, err.message_en, err.details), status_code=422
    )


async def _pydantic_validation(_: Request, exc: Exception) -> JSONResponse:
    # A model validated inside a handler (e.g. a stored form): still the user's input.
    assert isinstance(exc, ValidationError)
    err = invalid_from_validation_error(exc)
    return JSONResponse(
        error_body(err.code, err.message, err.message_en, err.details), status_code=422
    )


def _unparsable_body(exc: StarletteHTTPException) -> JSONResponse | None:
    # FastAPI answers 400 for a body it cannot even decode (bytes that are not UTF-8);
    # the contract wants the same 422 with the position as for malformed JSON.
    cause = exc.__cause__
    if exc.status_code != 400 or not isinstance(cause, ValueError):
        return None
    position = getattr(cause, "start", getattr(cause, "pos", 0))
    err = InvalidInput(
        details=[
            field_error(
                ["body", position],
                f"JSON 格式错误（第 {position} 字节起无法解码）",
                f"JSON decode error: cannot decode the body from byte {position}",
                "json_invalid",
            )
        ]
    )
    return JSONResponse(
        error_body(err.code, err.message, err.message_en, err.details), status_code=422
    )


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    unparsable = _unparsable_body(exc)
    if unparsable is not None:
        return unparsable
    code, zh, en = _HTTP_TEXTS.get(exc.status_code, ("http_error", "请求错误", str(exc.detail)))
    return JSONResponse(
        error_body(code, zh, en), status_code=exc.status_code, headers=getattr(exc, "headers", None)
    )


def _is_data_exception(exc: sa_exc.DBAPIError) -> bool:
    # SQLSTATE class 22 "data exception": NUL in text, numeric or date out of range, ...
    sqlstate = getattr(exc.orig, "sqlstate", None) or ""
    return isinstance(exc, sa_exc.DataError) or sqlstate.startswith("22")


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, sa_exc.DBAPIError)
    if _is_data_exception(exc):
        return await _data_error(request, exc)
    if is_database_outage(exc):
        return await _dependency_outage(request, exc)
    raise exc  # anything else is ours, not the user's: a 500 from the outer middleware


async def _data_error(_: Request, exc: Exception) -> JSONResponse:
    # Input that passed validation but that PostgreSQL cannot store or compare: a NUL
    # character in a text, a value beyond a column's range. The transaction was rolled back.
    log.info("database refused a value", extra={"error": str(getattr(exc, "orig", exc))[:300]})
    return JSONResponse(
        error_body(
            "invalid_value",
            "请求中含有无法保存的字符（如空字符）或超出范围的数值",
            "The request holds a character (such as NUL) or a value out of range that cannot "
            "be stored",
        ),
        status_code=422,
    )


async def _dependency_outage(request: Request, exc: Exception) -> JSONResponse:
    # The database (or another dependency) is down or restarting: retryable, not a bug.
    # Anything else reaching here (a TimeoutError of our own code, say) is still a 500.
    if not (isinstance(exc, DependencyUnavailable) or is_database_outage(exc)):
        raise exc
    log.warning(
        "dependency unavailable", extra={"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
    )
    return await _domain_error(request, DependencyUnavailable())


def unavailable_body() -> dict[str, Any]:
    """The 503 envelope, for layers outside the exception handlers (ASGI middleware)."""
    err = DependencyUnavailable()
    return error_body(err.code, err.message, err.message_en)


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return JSONResponse(
        error_body("internal_error", "服务内部错误，请稍后再试", "Internal error, try again later"),
        status_code=500,
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(ValidationError, _pydantic_validation)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(sa_exc.DBAPIError, _database_error)
    # Connection-level failures that reach a handler unwrapped by SQLAlchemy: 503 when
    # they are a database outage (pool timeout, refused connection, command timeout).
    for outage in (
        sa_exc.TimeoutError,
        ConnectionError,
        TimeoutError,
        asyncpg.InterfaceError,
        asyncpg.PostgresConnectionError,
        asyncpg.CannotConnectNowError,
    ):
        app.add_exception_handler(outage, _dependency_outage)
    app.add_exception_handler(Exception, _unexpected)
