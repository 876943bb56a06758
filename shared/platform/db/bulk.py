"""Many rows in one INSERT whose SQL does not depend on how many rows there are.

`insert(table).values(rows)` writes one VALUES tuple per row, so SQLAlchemy compiles a new
statement for every row count — about a millisecond per row on this machine kind (2,000
obligations of one registration chunk: 1.6–2 s of compiling, against 0.1 s with the arrays
below; `benchmarks/RESULTS.md`) — and asyncpg refuses more than 32,767 parameters. Here each
column travels as one array and PostgreSQL unnests them side by side: the statement is the
same for 1 row or 20,000, so SQLAlchemy compiles it once (its statement cache) and asyncpg
prepares it once per connection.

    stmt = array_insert(obligation, COLUMNS).on_conflict_do_nothing(...).returning(...)
    await session.execute(stmt, as_arrays(obligation, COLUMNS, rows))

JSON columns travel as text (asyncpg would read a list inside the array as another
dimension) and are cast back in SQL; a Python `None` there is SQL NULL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson
from sqlalchemy import JSON, Select, Table, Text, bindparam, cast, func, select
from sqlalchemy.dialects.postgresql import ARRAY, Insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.types import TypeEngine


def array_insert(table: Table, columns: Sequence[str]) -> Insert:
    """`INSERT INTO table (columns) SELECT … FROM unnest(<one array per column>)`; add
    ON CONFLICT and RETURNING as with any PostgreSQL insert."""
    return pg_insert(table).from_select(list(columns), array_rows(table, columns))


def array_rows(table: Table, columns: Sequence[str]) -> Select[Any]:
    """The rows of `as_arrays(table, columns, …)` as a SELECT, each column with its type."""
    arrays = [cast(bindparam(_param(table, c)), ARRAY(_wire_type(table, c))) for c in columns]
    unnested = func.unnest(*arrays).table_valued(*columns).render_derived()
    return select(
        *[
            cast(unnested.c[c], table.c[c].type) if _is_json(table, c) else unnested.c[c]
            for c in columns
        ]
    )


def as_arrays(
    table: Table, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]
) -> dict[str, list[Any]]:
    """The parameters of `array_insert`/`array_rows`: one list per column, in row order (a
    column missing from a row is NULL)."""
    rows = list(rows)
    arrays: dict[str, list[Any]] = {}
    for c in columns:
        values = [row.get(c) for row in rows]
        if _is_json(table, c):
            values = [None if v is None else orjson.dumps(v).decode() for v in values]
        arrays[_param(table, c)] = values
    return arrays


def _param(table: Table, column: str) -> str:
    # Prefixed: two tables' inserts may share one statement (the unit of work's flush).
    return f"{table.name}__{column}"


def _is_json(table: Table, column: str) -> bool:
    return isinstance(table.c[column].type, JSON)


def _wire_type(table: Table, column: str) -> TypeEngine[Any]:
    return Text() if _is_json(table, column) else table.c[column].type
