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

import httpx
import orjson
import yaml
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from localdev.paths import REPO_ROOT

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
        yield
        await client.aclose()

    return lifespan


def create_gateway(upstreams: dict[str, str]) -> Starlette:
    routes = load_routes()
    client = httpx.AsyncClient(
        timeout=httpx.Timeout(60.0, connect=5.0), limits=httpx.Limits(max_connections=200)
    )

    async def docs_index(_: Request) -> HTMLResponse:
        links = "".join(
            f'<li><a href="/docs/{s}">{s}</a> · <a href="/openapi/{s}.json">openapi</a></li>'
            for s in upstreams
        )
        return HTMLResponse(
            f"<html><head><meta charset='utf-8'><title>SME evaluation API"
            f"</title></head><body><h1>科技型中小企业评价 API</h1><ul>{links}</ul>"
            f"</body></html>"
        )

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
        headers = [
            (k, v)
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
        except httpx.TimeoutException:
            return _error(
                504,
                "upstream_timeout",
                f"{service} 服务响应超时",
                f"the {service} service did not answer in time",
            )
        except httpx.HTTPError:
            return _error(
                502,
                "upstream_unavailable",
                f"{service} 服务暂不可用",
                f"the {service} service is not reachable",
            )
        response_headers = MutableHeaders()
        for key, value in upstream.headers.multi_items():
            if key.lower() not in _HOP_BY_HOP:
                response_headers.append(key, value)  # keeps repeated headers (Set-Cookie)
        return StreamingResponse(
            upstream.aiter_raw(),
            status_code=upstream.status_code,
            headers=response_headers,
            background=BackgroundTask(upstream.aclose),
        )

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    return Starlette(
        routes=[
            Route("/docs", docs_index),
            Route("/gateway/healthz", healthz),
            Route("/{path:path}", proxy, methods=methods),
        ],
        lifespan=_closing(client),
    )


def app_from_env() -> Starlette:
    """`uvicorn localdev.gateway:app_from_env --factory` with SME_UPSTREAM_<SERVICE>=url."""
    upstreams = {
        key.removeprefix("SME_UPSTREAM_").lower(): value.rstrip("/")
        for key, value in os.environ.items()
        if key.startswith("SME_UPSTREAM_")
    }
    return create_gateway(upstreams)
