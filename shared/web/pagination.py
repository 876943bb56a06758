"""Lists: `limit` (default 50, max 500) and an opaque `cursor` → `{"items", "next_cursor"}`.

Keyset pagination: the cursor encodes the sort key of the last item, so page N costs the
same as page 1 (an index range scan), and concurrent inserts never shift a page.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

import orjson
from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, tuple_
from sqlalchemy.orm import QueryableAttribute

from shared.errors import InvalidInput


class InvalidCursor(InvalidInput):
    code = "invalid_cursor"

    def __init__(self) -> None:
        super().__init__(
            details=[
                {
                    "loc": ["query", "cursor"],
                    "msg": "分页游标无效",
                    "msg_en": "invalid cursor",
                    "type": "cursor",
                }
            ]
        )


T = TypeVar("T")
# Any select, whatever its columns (SQLAlchemy 2.1 types a select by its row tuple).
S = TypeVar("S", bound=Select[*tuple[Any, ...]])

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(values: Sequence[Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(list(values), default=str)).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, orjson.JSONDecodeError) as exc:
        raise InvalidCursor() from exc
    if not isinstance(values, list):
        raise InvalidCursor()
    return values


@dataclass(frozen=True, slots=True)
class PageParams:
    limit: int
    cursor: list[Any] | None


def _page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size")] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=500, description="opaque cursor")] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=decode_cursor(cursor) if cursor else None)


PageQuery = Annotated[PageParams, Depends(_page_params)]


def keyset(
    stmt: S,
    keys: Sequence[ColumnElement[Any] | QueryableAttribute[Any]],
    params: PageParams,
    *,
    descending: bool = True,
    convert: Sequence[Callable[[Any], Any]] | None = None,
) -> S:
    """Order by `keys` (all one direction) and continue after the cursor; fetches limit+1."""
    if params.cursor is not None:
        if len(params.cursor) != len(keys):
            raise InvalidCursor()
        values = params.cursor
        if convert is not None:
            try:
                values = [fn(v) for fn, v in zip(convert, values, strict=True)]
            except (TypeError, ValueError) as exc:
                raise InvalidCursor() from exc
        row_key = tuple_(*keys)
        stmt = stmt.where(row_key < tuple_(*values) if descending else row_key > tuple_(*values))
    order = [k.desc() for k in keys] if descending else [k.asc() for k in keys]
    return stmt.order_by(*order).limit(params.limit + 1)


def page_of(
    rows: Sequence[T], params: PageParams, cursor_of: Callable[[T], Sequence[Any]]
) -> tuple[list[T], str | None]:
    """Split the limit+1 rows into the page and the next cursor."""
    items = list(rows[: params.limit])
    has_more = len(rows) > params.limit
    return items, encode_cursor(cursor_of(items[-1])) if has_more and items else None
