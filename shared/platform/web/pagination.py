"""Lists: `limit` (default 50, max 500) and an opaque `cursor` → `{"items", "next_cursor"}`.

Keyset pagination: the cursor encodes the sort key of the last item, so page N costs the
same as page 1 (an index range scan), and concurrent inserts never shift a page.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any, Generic, TypeVar

import orjson
from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, tuple_
from sqlalchemy.orm import QueryableAttribute

from shared.kernel.errors import InvalidInput, field_error


class InvalidCursor(InvalidInput):
    code = "invalid_cursor"

    def __init__(self) -> None:
        super().__init__(
            details=[field_error(["query", "cursor"], "分页游标无效", "invalid cursor", "cursor")]
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


async def _page_params(  # async: no thread-pool hop per list request
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
    convert: Sequence[Callable[[Any], Any]],
) -> S:
    """Order by `keys` (all one direction) and continue after the cursor; fetches limit+1.

    `convert` turns each cursor value back into the column's type. The cursor comes from
    the client, so anything it holds that the column could not — a wrong type, a
    timestamp outside PostgreSQL's range, an integer beyond 64 bits — is a 422, never a
    query that fails in the database.
    """
    if params.cursor is not None:
        if len(params.cursor) != len(keys) or len(convert) != len(keys):
            raise InvalidCursor()
        try:
            values = [
                _within_column_range(fn(v)) for fn, v in zip(convert, params.cursor, strict=True)
            ]
        except Exception as exc:  # any failure to convert means a forged cursor
            raise InvalidCursor() from exc
        row_key = tuple_(*keys)
        stmt = stmt.where(row_key < tuple_(*values) if descending else row_key > tuple_(*values))
    order = [k.desc() for k in keys] if descending else [k.asc() for k in keys]
    return stmt.order_by(*order).limit(params.limit + 1)


_INT64 = 2**63


def _within_column_range(value: Any) -> Any:
    if isinstance(value, bool):
        raise TypeError("boolean cursor value")
    if isinstance(value, int) and not -_INT64 <= value < _INT64:
        raise OverflowError("beyond bigint")
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("timestamp without offset")
        value = value.astimezone(UTC)  # raises OverflowError past year 9999
    return value


def cursor_int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("integer cursor value expected")
    return value


def cursor_uuid(value: Any) -> uuid.UUID:
    return uuid.UUID(str(value))


def cursor_timestamp(value: Any) -> datetime:
    return datetime.fromisoformat(str(value))


def cursor_date(value: Any) -> date:
    return date.fromisoformat(str(value))


def page_of(
    rows: Sequence[T], params: PageParams, cursor_of: Callable[[T], Sequence[Any]]
) -> tuple[list[T], str | None]:
    """Split the limit+1 rows into the page and the next cursor."""
    items = list(rows[: params.limit])
    has_more = len(rows) > params.limit
    return items, encode_cursor(cursor_of(items[-1])) if has_more and items else None
