"""A JSON object with the same key twice is bad input (422), not "the last one wins".

Two `uscc` keys in one enterprise body would let a proxy or a log see one value and the
service store another. Python's JSON parser keeps the last silently, so the body is parsed
with a pairs hook that notes the first key found twice. It is parsed once: every route of a
service gets a request (`JsonOnceRequest`) whose `json()`, which FastAPI calls to read the
body, is that parse; an application-wide dependency then refuses a body with a duplicate
(after FastAPI has read it; before the route's own dependencies). A protected route still
answers 401/403 first, like every other validation error.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.routing import APIRoute, request_response

from shared.kernel.errors import InvalidInput
from shared.platform.web.auth import authorise_before_validation

_WITH_BODY = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def loads_noting_duplicates(body: bytes | str) -> tuple[Any, str | None]:
    """`json.loads(body)` (the last value of a repeated key, as usual) and the first key
    found twice in one object, or None. Raises `ValueError` on invalid JSON."""
    found: list[str] = []

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs) and not found:
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    found.append(key)
                    break
                seen.add(key)
        return result

    parsed = json.loads(body, object_pairs_hook=hook)
    return parsed, (found[0] if found else None)


def duplicate_key(body: bytes) -> str | None:
    """The first key found twice in one object of `body`, or None."""
    try:
        return loads_noting_duplicates(body)[1]
    except ValueError:
        return None  # not JSON: FastAPI's own parsing reports it


class JsonOnceRequest(Request):
    """A request whose JSON body is parsed once, for FastAPI and for the duplicate check."""

    _duplicate: str | None = None

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json, self._duplicate = loads_noting_duplicates(await self.body())
        return self._json

    async def duplicate_key(self) -> str | None:
        try:
            await self.json()
        except ValueError:
            return None  # not JSON: FastAPI's own parsing reports it
        return self._duplicate


def parse_json_once(app: FastAPI) -> None:
    """Give every API route of `app` (added so far) a `JsonOnceRequest`."""
    for route in app.router.routes:
        if isinstance(route, APIRoute):
            route.app = request_response(_with_json_once(route.get_route_handler()))


def _with_json_once(
    handler: Callable[[Request], Coroutine[Any, Any, Response]],
) -> Callable[[Request], Coroutine[Any, Any, Response]]:
    async def handle(request: Request) -> Response:
        return await handler(JsonOnceRequest(request.scope, request.receive))

    return handle


async def refuse_duplicate_json_keys(request: Request) -> None:
    if request.method not in _WITH_BODY:
        return
    if "json" not in request.headers.get("content-type", ""):
        return
    if isinstance(request, JsonOnceRequest):
        key = await request.duplicate_key()
    else:  # an app without `parse_json_once`: a second parse
        key = duplicate_key(await request.body())
    if key is None:
        return
    await authorise_before_validation(request)
    raise InvalidInput(
        details=[
            {
                "loc": ["body", key],
                "msg": f"JSON 对象中键 “{key}” 重复",
                "msg_en": f"the key {key!r} appears twice in one JSON object",
                "type": "duplicate_key",
            }
        ]
    )
