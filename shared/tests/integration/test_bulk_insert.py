"""Rows inserted as one array per column (`shared.platform.db.bulk`) on real PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Column, Integer, LargeBinary, MetaData, String, Table, func, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import JSONB

from shared.platform.db.bulk import array_insert, as_arrays
from shared.platform.db.engine import Database

pytestmark = pytest.mark.integration

_metadata = MetaData()
sample = Table(
    "bulk_sample",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(20), nullable=False, unique=True),
    Column("body", LargeBinary),
    Column("facts", JSONB),
)
COLUMNS = ("name", "body", "facts")
INSERT = (
    array_insert(sample, COLUMNS)
    .on_conflict_do_nothing(index_elements=[sample.c.name])
    .returning(sample.c.name)
)


async def _insert(db: Database, rows: list[dict[str, Any]]) -> list[str]:
    async with db.sessions() as session, session.begin():
        result = await session.execute(INSERT, as_arrays(sample, COLUMNS, rows))
        return list(result.scalars())


@pytest.fixture
async def db(database: Database) -> Database:
    async with database.engine.begin() as conn:
        await conn.run_sync(_metadata.create_all)
    return database


async def test_every_kind_of_value_arrives_as_given(db: Database) -> None:
    rows = [
        {"name": "nested", "body": b"a\x00b", "facts": {"list": [1, [2, 3]], "text": "中文"}},
        {"name": "a list", "body": b"", "facts": [{"a": 1}, None]},
        {"name": "nothing", "body": None, "facts": None},
        {"name": "missing keys"},
    ]
    assert await _insert(db, rows) == ["nested", "a list", "nothing", "missing keys"]
    async with db.sessions() as session:
        stored = (await session.execute(select(sample).order_by(sample.c.id))).all()
    assert [(r.name, r.body, r.facts) for r in stored] == [
        ("nested", b"a\x00b", {"list": [1, [2, 3]], "text": "中文"}),
        ("a list", b"", [{"a": 1}, None]),
        ("nothing", None, None),
        ("missing keys", None, None),
    ]


async def test_more_rows_than_a_statement_may_have_parameters_and_conflicts_skipped(
    db: Database,
) -> None:
    # 40,000 rows × 3 columns: a VALUES list would need 120,000 parameters (asyncpg: 32,767).
    rows = [{"name": f"n{i}", "facts": {"i": i}} for i in range(40_000)]
    assert len(await _insert(db, rows)) == 40_000
    again = await _insert(db, [{"name": "n7"}, {"name": "new"}])
    assert again == ["new"]
    async with db.sessions() as session:
        total = (await session.execute(select(func.count()).select_from(sample))).scalar_one()
    assert total == 40_001


def test_the_statement_is_the_same_for_any_number_of_rows() -> None:
    # What makes it cheap: compiled once, whatever the row count (a VALUES list is not).
    dialect = postgresql.asyncpg.dialect()  # type: ignore[attr-defined]
    sql = str(INSERT.compile(dialect=dialect))
    assert sql.count("unnest(") == 1
    assert "VALUES" not in sql
    params = [as_arrays(sample, COLUMNS, [{"name": str(i)} for i in range(n)]) for n in (1, 5)]
    assert params[0].keys() == params[1].keys() == {f"bulk_sample__{c}" for c in COLUMNS}
