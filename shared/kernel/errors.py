"""Domain errors: plain exceptions the domain and service layers raise (no framework).

Each carries a stable `code` and a bilingual message; the web layer maps `kind` to an HTTP
status in one place (`shared.platform.web.errors`). Services subclass these with domain names
(`NotEligible`, `OutsideWindow`, `ObjectionWindowClosed`, ...).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TypedDict


class ErrorKind(StrEnum):
    INVALID = "invalid"  # 422: the request breaks a rule
    NOT_FOUND = "not_found"  # 404: unknown, or someone else's record
    CONFLICT = "conflict"  # 409: not now / not in this state
    FORBIDDEN = "forbidden"  # 403: wrong role
    UNAUTHORIZED = "unauthorized"  # 401: no or bad token
    TOO_MANY = "too_many"  # 429: rate limit
    TOO_LARGE = "too_large"  # 413: request body too large
    UNAVAILABLE = "unavailable"  # 503: a dependency (database, object store) is down


class FieldError(TypedDict):
    """One entry of an error's `details`, exactly as contract.md's error shape sends it:
    the field's path (`["body", "reason"]`, `["query", "cursor"]`), the message in Chinese
    and English, and a stable machine-readable type. Build one with `field_error`."""

    loc: list[str | int]
    msg: str
    msg_en: str
    type: str


def field_error(loc: Sequence[str | int], zh: str, en: str, kind: str) -> FieldError:
    return FieldError(loc=list(loc), msg=zh, msg_en=en, type=kind)


class DomainError(Exception):
    kind: ErrorKind = ErrorKind.INVALID
    code: str = "invalid"
    message: str = "请求不符合规则"
    message_en: str = "The request breaks a rule"

    def __init__(
        self,
        message: str | None = None,
        message_en: str | None = None,
        *,
        code: str | None = None,
        details: Sequence[FieldError] = (),
    ) -> None:
        self.message = message or type(self).message
        self.message_en = message_en or type(self).message_en
        self.code = code or type(self).code
        self.details: list[FieldError] = list(details)
        super().__init__(f"{self.code}: {self.message_en}")


class InvalidInput(DomainError):
    kind = ErrorKind.INVALID
    code = "validation_error"
    message = "请求数据有误"
    message_en = "The request data is invalid"


class NotFound(DomainError):
    kind = ErrorKind.NOT_FOUND
    code = "not_found"
    message = "未找到该记录"
    message_en = "Not found"


class Conflict(DomainError):
    kind = ErrorKind.CONFLICT
    code = "conflict"
    message = "当前状态下不能执行该操作"
    message_en = "Not possible in the current state"


class Forbidden(DomainError):
    kind = ErrorKind.FORBIDDEN
    code = "forbidden"
    message = "无权执行该操作"
    message_en = "Your role may not do this"


class Unauthorized(DomainError):
    kind = ErrorKind.UNAUTHORIZED
    code = "unauthorized"
    message = "未登录或令牌无效"
    message_en = "Missing or invalid token"


class TooManyRequests(DomainError):
    kind = ErrorKind.TOO_MANY
    code = "rate_limited"
    message = "请求过于频繁，请稍后再试"
    message_en = "Too many requests, try again later"

    def __init__(
        self, message: str | None = None, message_en: str | None = None, *, retry_after: int = 60
    ) -> None:
        super().__init__(message, message_en)
        self.retry_after = retry_after  # seconds, sent as the Retry-After header


class PayloadTooLarge(DomainError):
    kind = ErrorKind.TOO_LARGE
    code = "payload_too_large"
    message = "请求内容过大"
    message_en = "Request body too large"


class DependencyUnavailable(DomainError):
    """A dependency the request needs (database, object store) cannot be reached right now.

    Raise it (or let `shared.platform.web.errors` recognise a driver's connection error) instead of
    letting the outage surface as a 500: the caller gets 503 with `Retry-After` and retries.
    """

    kind = ErrorKind.UNAVAILABLE
    code = "unavailable"
    message = "服务暂不可用，请稍后重试"
    message_en = "The service is temporarily unavailable, try again shortly"
    retry_after_seconds = 5
