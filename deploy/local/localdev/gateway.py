"""The local gateway: one address for the four services, routed by path prefix.

The routing table is `deploy/gateway/routes.yaml` — the same file the compose nginx config
and the Kubernetes Ingress are generated from. Longest prefix wins.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio.to_thread
import httpx
import orjson
import yaml
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from localdev.openapi_doc import TITLE, gateway_document
from localdev.paths import REPO_ROOT
from shared.platform.web.openapi_docs import docs_routes, redoc_routes

ROUTES_FILE = REPO_ROOT / "deploy" / "gateway" / "routes.yaml"
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailers",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
    }
)
# uvicorn writes its own Date and Server on every answer: the upstream's would repeat them.
_SERVER_WRITTEN = frozenset({"date", "server"})
REDOC_BUNDLE = REPO_ROOT / ".local" / "node" / "node_modules" / "redoc" / "bundles"
REDOC_BUNDLE = REDOC_BUNDLE / "redoc.standalone.js"


def load_routes(path: Path = ROUTES_FILE) -> list[tuple[str, str]]:
    """(prefix, service) pairs, longest prefix first."""
    data = yaml.safe_load(path.read_text("utf-8"))
    pairs = [
        (prefix, service) for service, prefixes in data["services"].items() for prefix in prefixes
    ]
    return sorted(pairs, key=lambda p: len(p[0]), reverse=True)


def match(routes: list[tuple[str, str]], path: str) -> str | None:
    for prefix, service in routes:
        if path == prefix or path.startswith(prefix + "/") or path.startswith(prefix + "?"):
            return service
    return None


def _error(status: int, code: str, zh: str, en: str) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": zh, "message_en": en, "details": []}},
        status_code=status,
    )


def _closing(client: httpx.AsyncClient) -> Any:
    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        # Build the merged OpenAPI document (imports every service) before the gateway
        # reports healthy, so the first `GET /openapi.json` is as fast as any other.
        await anyio.to_thread.run_sync(gateway_document)
        yield
        await client.aclose()

    return lifespan


def create_gateway(upstreams: dict[str, str]) -> Starlette:
    routes = load_routes()
    client = httpx.AsyncClient(
        timeout=httpx.Timeout(30.0, connect=5.0), limits=httpx.Limits(max_connections=200)
    )

    async def openapi_json(_: Request) -> Response:
        return Response(orjson.dumps(gateway_document()), media_type="application/json")

    async def healthz(_: Request) -> Response:
        return Response(orjson.dumps({"status": "ok"}), media_type="application/json")

    async def proxy(request: Request) -> Response:
        service = match(routes, request.url.path)
        if service is None or service not in upstreams:
            return _error(404, "not_found", "未找到", "Not found")
        # The raw path, so an encoded "/" (%2F) in a segment stays one segment upstream.
        raw_path = request.scope.get("raw_path") or request.url.path.encode()
        url = upstreams[service] + raw_path.decode("latin-1")
        if request.url.query:
            url += "?" + request.url.query
        connection_named = {
            token.strip().lower() for token in request.headers.get("connection", "").split(",")
        }
        # Leading and trailing whitespace is not part of a field value (RFC 9110 §5.5); the
        # HTTP parser in front may keep it ("Bearer "), and the client below refuses to send
        # it, which would make a client's stray space a 503.
        headers = [
            (k, v.strip(" \t"))
            for k, v in request.headers.items()  # every occurrence of a repeated header
            if k.lower() not in _HOP_BY_HOP
            and k.lower() not in connection_named
            and k.lower() not in ("x-forwarded-for", "x-forwarded-proto")
        ]
        # Append the peer we really saw to the chain (never trust the client's own entries:
        # services count from the right, see supervision's filing rate limit).
        peer = request.client.host if request.client else ""
        chain = request.headers.get("x-forwarded-for")
        headers.append(("x-forwarded-for", f"{chain}, {peer}" if chain else peer))
        headers.append(("x-forwarded-proto", request.url.scheme))
        content: bytes | AsyncIterator[bytes] | None
        if request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
            # Uploads (evidence documents) stream through: never held here, and the
            # client's Content-Length goes along so the service can refuse up front.
            content = request.stream()
            if request.headers.get("content-length"):
                headers.append(("content-length", request.headers["content-length"]))
        else:
            # JSON bodies are small: read them whole so the upstream gets a Content-Length
            # (its size limit answers 413 up front) and GETs carry no body.
            content = await request.body() or None
        upstream_request = client.build_request(
            request.method, url, headers=headers, content=content
        )
        try:
            upstream = await client.send(upstream_request, stream=True)
        except httpx.HTTPError:
            # The service is down or restarting (or did not answer in time): the same 503
            # "unavailable" envelope a service answers for its own dependency outage, so the
            # portal retries either one the same way.
            response = _error(
                503,
                "unavailable",
                f"{service} 服务暂不可用，请稍后重试",
                f"the {service} service is unavailable, try again shortly",
            )
            response.headers["Retry-After"] = "5"
            return response
        response_headers = MutableHeaders()
        for key, value in upstream.headers.multi_items():
            if key.lower() not in _HOP_BY_HOP and key.lower() not in _SERVER_WRITTEN:
                response_headers.append(key, value)  # keeps repeated headers (Set-Cookie)
        return StreamingResponse(
            upstream.aiter_raw(),
            status_code=upstream.status_code,
            headers=response_headers,
            background=BackgroundTask(upstream.aclose),
        )

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    docs: list[BaseRoute] = docs_routes("/docs", "/openapi.json", TITLE)
    if REDOC_BUNDLE.exists():  # after `make client` (npm); Swagger UI needs nothing
        docs += redoc_routes("/redoc", "/openapi.json", TITLE, REDOC_BUNDLE)
    return Starlette(
        routes=[
            Route("/openapi.json", openapi_json),
            *docs,
            Route("/gateway/healthz", healthz),
            Route("/{path:path}", proxy, methods=methods),
        ],
        exception_handlers={HTTPException: _http_error},
        lifespan=_closing(client),
    )


async def _http_error(_: Request, exc: Exception) -> Response:
    # The gateway's own 404/405 (a method its route does not take) in the error envelope.
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        response = _error(405, "method_not_allowed", "不支持该请求方法", "Method not allowed")
    elif exc.status_code == 404:
        response = _error(404, "not_found", "未找到", "Not found")
    else:
        response = _error(exc.status_code, "http_error", "请求错误", str(exc.detail))
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response


def app_from_env() -> Starlette:
    """`uvicorn localdev.gateway:app_from_env --factory` with SME_UPSTREAM_<SERVICE>=url."""
    upstreams = {
        key.removeprefix("SME_UPSTREAM_").lower(): value.rstrip("/")
        for key, value in os.environ.items()
        if key.startswith("SME_UPSTREAM_")
    }
    return create_gateway(upstreams)
