"""A JSON object with the same key twice is bad input (422), not "the last one wins".

Two `uscc` keys in one enterprise body would let a proxy or a log see one value and the
service store another. Python's JSON parser keeps the last silently, so every JSON body
is checked once more here, by an application-wide dependency (after FastAPI has read the
body; before the route's own dependencies). A protected route still answers 401/403
first, like every other validation error.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from shared.errors import InvalidInput
from shared.web.auth import authorise_before_validation

_WITH_BODY = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _Duplicate(key)
        seen[key] = value
    return seen


def duplicate_key(body: bytes) -> str | None:
    """The first key found twice in one object of `body`, or None."""
    try:
        json.loads(body, object_pairs_hook=_refuse_duplicates)
    except _Duplicate as found:
        return found.key
    except ValueError:
        return None  # not JSON: FastAPI's own parsing reports it
    return None


async def refuse_duplicate_json_keys(request: Request) -> None:
    if request.method not in _WITH_BODY:
        return
    if "json" not in request.headers.get("content-type", ""):
        return
    key = duplicate_key(await request.body())
    if key is None:
        return
    authorise_before_validation(request)
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
