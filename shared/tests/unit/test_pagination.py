"""Opaque cursors: round trip, and a clear 422 for a tampered one."""

from __future__ import annotations

import pytest
from sqlalchemy import column, select

from shared.kernel.errors import InvalidInput
from shared.platform.web.pagination import (
    PageParams,
    cursor_int,
    cursor_timestamp,
    cursor_uuid,
    decode_cursor,
    encode_cursor,
    keyset,
)


def test_a_cursor_round_trips() -> None:
    assert decode_cursor(encode_cursor(["2026-01-01T00:00:00+00:00", "abc", 7])) == [
        "2026-01-01T00:00:00+00:00",
        "abc",
        7,
    ]


@pytest.mark.parametrize("cursor", ["%%%", "bm90IGpzb24", "eyJhIjogMX0"])
def test_a_broken_cursor_is_invalid_input_on_the_cursor_parameter(cursor: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        decode_cursor(cursor)
    assert raised.value.details[0]["loc"] == ["query", "cursor"]


@pytest.mark.parametrize(
    ("values", "convert"),
    [
        (["2024-01-01T00:00:00+00:00", 123], [cursor_timestamp, cursor_uuid]),
        (["2024-01-01T00:00:00+00:00", [1]], [cursor_timestamp, cursor_uuid]),
        (
            ["9999-12-31T23:59:59-23:00", "7f1c1b8e-0000-4000-8000-000000000000"],
            [cursor_timestamp, cursor_uuid],
        ),
        (
            ["2024-01-01T00:00:00", "7f1c1b8e-0000-4000-8000-000000000000"],
            [cursor_timestamp, cursor_uuid],
        ),
        ([2**63, 1], [cursor_int, cursor_int]),
        ([True, 1], [cursor_int, cursor_int]),
        (["abc", 1], [cursor_int, cursor_int]),
        ([1], [cursor_int, cursor_int]),
    ],
)
def test_a_forged_cursor_is_refused_before_any_query(values: list[object], convert: list) -> None:
    params = PageParams(limit=10, cursor=values)
    with pytest.raises(InvalidInput):
        keyset(
            select(column("a"), column("b")), [column("a"), column("b")], params, convert=convert
        )
