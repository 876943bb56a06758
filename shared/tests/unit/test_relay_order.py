"""Which outbox rows a relay may publish, so that per-key order survives two relays."""

from __future__ import annotations

from shared.platform.messaging.relay import _Row, publishable_runs


def row(row_id: int, key: str) -> _Row:
    return _Row(row_id, "t", key, b"", {})


def ids(runs: list[list[_Row]]) -> list[list[int]]:
    return sorted([r.id for r in run] for run in runs)


def test_all_claimed_rows_of_a_key_are_published_in_id_order() -> None:
    claimed = [row(1, "a"), row(2, "b"), row(3, "a")]
    unsent = [(1, "a"), (2, "b"), (3, "a")]
    assert ids(publishable_runs(claimed, unsent)) == [[1, 3], [2]]


def test_a_key_whose_oldest_row_is_held_elsewhere_waits() -> None:
    claimed = [row(5, "a"), row(6, "b")]
    unsent = [(4, "a"), (5, "a"), (6, "b")]  # row 4 is locked by the other relay
    assert ids(publishable_runs(claimed, unsent)) == [[6]]


def test_a_run_stops_before_a_row_held_elsewhere() -> None:
    claimed = [row(5, "a"), row(9, "a")]
    unsent = [(5, "a"), (7, "a"), (9, "a")]  # 7 was claimed by the other relay
    assert ids(publishable_runs(claimed, unsent)) == [[5]]


def test_nothing_claimed_nothing_published() -> None:
    assert publishable_runs([], [(1, "a")]) == []
