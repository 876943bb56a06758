"""Opaque cursors: round trip, and a clear 422 for a tampered one."""

from __future__ import annotations

import pytest

from shared.errors import InvalidInput
from shared.web.pagination import decode_cursor, encode_cursor


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
