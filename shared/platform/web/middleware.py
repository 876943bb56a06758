"""ASGI middleware: request ids, trace context, access log, metrics, body size limit.

Plain ASGI (not BaseHTTPMiddleware) so streaming responses (Excel exports) pass untouched
and each request costs a few dictionary operations.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Sequence
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.platform.db.outage import is_database_outage
from shared.platform.observability.context import (
    child_traceparent,
    new_traceparent,
    request_id_var,
    traceparent_var,
)
from shared.platform.observability.metrics import ServiceMetrics
from shared.platform.web.errors import RETRY_AFTER_SECONDS, error_body, unavailable_body

log = logging.getLogger("shared.platform.web.access")

_QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")


class RequestContextMiddleware:
    """Request id and trace context for logs and events; access log and metrics; and the
    last word on unexpected errors, so even a 500 carries the contract's shape and the
    request id (Starlette's own 500 handler runs outside this middleware, after the
    request's context is gone)."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        offered = headers.get("x-request-id", "")
        request_id = offered if _SAFE_REQUEST_ID.match(offered) else uuid.uuid4().hex
        parent = headers.get("traceparent")
        rid_token = request_id_var.set(request_id)
        tp_token = traceparent_var.set(child_traceparent(parent) if parent else new_traceparent())
        status = 500
        response_started = False
        started = time.perf_counter()

        async def send_wrapper(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                message.setdefault("headers", [])
                message["headers"].append((b"x-request-id", request_id.encode("latin-1")))
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception as exc:
            if is_database_outage(exc):
                # Escaped the handlers (e.g. raised while a streamed response was prepared):
                # still a retryable outage, not a bug.
                log.warning("database unavailable", extra={"path": scope["path"]})
                if not response_started:
                    await send_json(
                        send_wrapper,
                        503,
                        unavailable_body(),
                        headers=[(b"retry-after", str(RETRY_AFTER_SECONDS).encode())],
                    )
                return
            log.exception("unhandled error", extra={"path": scope["path"]})
            if not response_started:
                await send_json(
                    send_wrapper,
                    500,
                    error_body(
                        "internal_error",
                        "服务内部错误，请稍后再试",
                        "Internal error, try again later",
                    ),
                )
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            route_path = getattr(route, "path", "unmatched")
            self.metrics.http_requests.labels(scope["method"], route_path, str(status)).inc()
            self.metrics.http_latency.labels(scope["method"], route_path).observe(elapsed)
            if scope["path"] not in _QUIET_PATHS:
                log.info(
                    "request",
                    extra={
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "ms": round(elapsed * 1000, 2),
                    },
                )
            request_id_var.reset(rid_token)
            traceparent_var.reset(tp_token)


class BodySizeLimitMiddleware:
    """Refuse bodies above `max_bytes` with 413 — announced (Content-Length) or streamed.
    Paths matching one of `large_bodies` (upload endpoints that stream to disk and apply
    their own, usually smaller, limit) get that pattern's ceiling instead."""

    def __init__(
        self, app: ASGIApp, max_bytes: int, large_bodies: Sequence[tuple[str, int]] = ()
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.large_bodies = [(re.compile(pattern), limit) for pattern, limit in large_bodies]

    def _limit(self, path: str) -> int:
        for pattern, limit in self.large_bodies:
            if pattern.match(path):
                return limit
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self._limit(scope.get("path", ""))
        for key, value in scope["headers"]:
            if key == b"content-length" and value.isdigit() and int(value) > max_bytes:
                await _too_large(send)
                return
        received = 0
        too_large = False

        async def limited_receive() -> Message:
            nonlocal received, too_large
            if too_large:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    # Stop reading; to the application the client is gone. Whatever it
                    # answers to that is dropped below, and the client gets a 413.
                    too_large = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not too_large:
                await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not too_large:
                raise
        if too_large:
            await _too_large(send)


async def send_json(
    send: Send,
    status: int,
    body: dict[str, Any],
    headers: Sequence[tuple[bytes, bytes]] = (),
) -> None:
    raw = orjson.dumps(body)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(raw)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": raw})


async def _too_large(send: Send) -> None:
    await send_json(
        send, 413, error_body("payload_too_large", "请求内容过大", "Request body too large")
    )
