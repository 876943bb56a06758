"""The local gateway forwards a header whose value has surrounding whitespace (which the
HTTP parser in front may keep) without it, instead of failing to send it (a 503)."""

from __future__ import annotations

import asyncio
from typing import Any

from localdev.gateway import create_gateway
from localdev.ports import free_port


async def _echo_authorization(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    value = next(
        line.split(":", 1)[1] for line in lines if line.lower().startswith("authorization:")
    )
    body = repr(value).encode()
    writer.write(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n"
        + f"content-length: {len(body)}\r\nconnection: close\r\n\r\n".encode()
        + body
    )
    await writer.drain()
    writer.close()


async def test_a_value_with_a_trailing_space_reaches_the_service_trimmed() -> None:
    port = free_port()
    upstream = await asyncio.start_server(_echo_authorization, "127.0.0.1", port)
    gateway = create_gateway({"tracking": f"http://127.0.0.1:{port}"})
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/api/v1/tracking/tiers",
        "raw_path": b"/api/v1/tracking/tiers",
        "query_string": b"year=2026",
        "headers": [(b"host", b"gw"), (b"authorization", b"Bearer ")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    sent: list[dict[str, Any]] = []
    requested = False

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays connected
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async with upstream:
        await gateway(scope, receive, send)
    assert sent[0]["status"] == 200
    assert b"".join(m.get("body", b"") for m in sent[1:]) == b"' Bearer'"
