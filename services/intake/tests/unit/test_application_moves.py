"""Every move of an application's status, allowed and refused, through the one guard
`move()` (contract.md "Application status"): commands against `TRANSITIONS`, other
services' events against `EVENT_SOURCES`, set-based batches once per (source, target)."""

from __future__ import annotations

import itertools

import pytest

from intake.domain.status import (
    EVENT_SOURCES,
    TRANSITIONS,
    ApplicationStatus,
    IllegalTransition,
    StatusMove,
    move,
    move_set,
)
from shared.kernel.errors import ErrorKind

S = ApplicationStatus
PAIRS = list(itertools.product(S, S))

# The command edges, spelled out (not derived from the table under test).
COMMAND_MOVES = {
    (S.DRAFT, S.SUBMITTED), (S.DRAFT, S.WITHDRAWN), (S.DRAFT, S.CLOSED),
    (S.SUBMITTED, S.UNDER_REVIEW), (S.SUBMITTED, S.WITHDRAWN), (S.SUBMITTED, S.RETURNED),
    (S.SUBMITTED, S.APPROVED), (S.SUBMITTED, S.REJECTED), (S.SUBMITTED, S.CLOSED),
    (S.UNDER_REVIEW, S.RETURNED), (S.UNDER_REVIEW, S.APPROVED), (S.UNDER_REVIEW, S.REJECTED),
    (S.UNDER_REVIEW, S.WITHDRAWN), (S.UNDER_REVIEW, S.CLOSED),
    (S.RETURNED, S.SUBMITTED), (S.RETURNED, S.WITHDRAWN), (S.RETURNED, S.CLOSED),
    (S.APPROVED, S.IN_PUBLICITY), (S.APPROVED, S.REGISTERED), (S.APPROVED, S.REJECTED),
    (S.APPROVED, S.CLOSED),
    (S.IN_PUBLICITY, S.REGISTERED), (S.IN_PUBLICITY, S.REJECTED), (S.IN_PUBLICITY, S.CLOSED),
    (S.REGISTERED, S.REVOKED),
}  # fmt: skip


def test_the_listed_command_moves_are_the_table() -> None:
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == COMMAND_MOVES


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=lambda s: s.value)
def test_a_command_moves_exactly_along_the_table(
    current: ApplicationStatus, target: ApplicationStatus
) -> None:
    if (current, target) in COMMAND_MOVES:
        assert move(current, target) == StatusMove(current, target)
    else:
        with pytest.raises(IllegalTransition) as refused:
            move(current, target)
        assert refused.value.code == "illegal_status_transition"
        assert refused.value.kind is ErrorKind.CONFLICT  # 409
        assert current.value in refused.value.message
        assert target.value in refused.value.message_en


@pytest.mark.parametrize(("current", "reported"), PAIRS, ids=lambda s: s.value)
def test_an_event_moves_only_from_its_sources(
    current: ApplicationStatus, reported: ApplicationStatus
) -> None:
    if current in EVENT_SOURCES.get(reported, frozenset()):
        assert move(current, reported, by_event=True).target is reported
    else:
        with pytest.raises(IllegalTransition):
            move(current, reported, by_event=True)


def test_an_event_may_skip_steps_a_command_may_not() -> None:
    # registration issued while the approval is still in flight on another topic
    assert move(S.SUBMITTED, S.REGISTERED, by_event=True).target is S.REGISTERED
    with pytest.raises(IllegalTransition):
        move(S.SUBMITTED, S.REGISTERED)


def test_a_batch_is_checked_once_per_source() -> None:
    sources = EVENT_SOURCES[S.IN_PUBLICITY]
    assert move_set(sources, S.IN_PUBLICITY, by_event=True) == sources
    with pytest.raises(IllegalTransition):
        move_set({S.APPROVED, S.REGISTERED}, S.IN_PUBLICITY, by_event=True)
