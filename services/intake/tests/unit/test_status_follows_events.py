"""The application's status follows other services' events, only ever forward."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake.domain.status import (
    ENDED,
    EVENT_SOURCES,
    LIVE,
    TRANSITIONS,
    WITHDRAWABLE,
    ApplicationStatus,
    event_may_move,
)

S = ApplicationStatus


def _reachable(start: ApplicationStatus) -> set[ApplicationStatus]:
    """Statuses reachable within one review round. Resubmission (returned → submitted) is the
    enterprise's command that starts a new round; no event ever takes that edge."""
    seen, todo = set(), [start]
    while todo:
        current = todo.pop()
        for nxt in TRANSITIONS[current]:
            if (current, nxt) == (S.RETURNED, S.SUBMITTED):
                continue
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


@pytest.mark.parametrize(("reported", "sources"), sorted(EVENT_SOURCES.items()))
def test_every_event_move_goes_forward_along_the_status_machine(
    reported: ApplicationStatus, sources: frozenset[ApplicationStatus]
) -> None:
    for source in sources:
        assert reported in _reachable(source), f"{source} → {reported} is not forward"
        assert source not in _reachable(reported), f"{reported} could come back to {source}"


@pytest.mark.parametrize("ended", sorted(ENDED))
def test_no_event_moves_an_ended_application(ended: ApplicationStatus) -> None:
    assert not any(event_may_move(ended, reported) for reported in S)


def test_a_draft_is_moved_by_no_event() -> None:
    assert not any(event_may_move(S.DRAFT, reported) for reported in S)


def test_registered_then_late_publicity_stays_registered() -> None:
    assert not event_may_move(S.REGISTERED, S.IN_PUBLICITY)
    assert not event_may_move(S.REGISTERED, S.APPROVED)


def test_returned_then_late_opened_event_stays_returned() -> None:
    assert not event_may_move(S.RETURNED, S.UNDER_REVIEW)


def test_held_case_in_publicity_can_still_be_rejected() -> None:
    assert event_may_move(S.IN_PUBLICITY, S.REJECTED)


def test_a_registration_cannot_be_rejected_only_revoked() -> None:
    assert not event_may_move(S.REGISTERED, S.REJECTED)
    assert event_may_move(S.REGISTERED, S.REVOKED)


def test_withdrawal_is_possible_only_before_a_decision() -> None:
    assert {S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED} == WITHDRAWABLE
    for status in WITHDRAWABLE:
        assert S.WITHDRAWN in TRANSITIONS[status]


def test_rejected_withdrawn_and_revoked_are_not_live() -> None:
    assert {S.REJECTED, S.WITHDRAWN, S.REVOKED} == ENDED
    assert LIVE.isdisjoint(ENDED)
    assert set(S) == LIVE | ENDED


# -- out-of-order delivery across topics -----------------------------------------------------

Topic = Sequence[ApplicationStatus]


def _interleavings(*topics: Topic) -> list[list[ApplicationStatus]]:
    """Every merge of the topics that keeps each topic's own order (per-key order holds
    within a topic, not across topics)."""
    labelled = [(i, j) for i, topic in enumerate(topics) for j in range(len(topic))]
    merges = []
    for order in itertools.permutations(labelled):
        if all(
            [j for i2, j in order if i2 == i] == list(range(len(topic)))
            for i, topic in enumerate(topics)
        ):
            merges.append([topics[i][j] for i, j in order])
    return merges


def _follow(start: ApplicationStatus, reports: Sequence[ApplicationStatus]) -> list[S]:
    history = [start]
    for reported in reports:
        if event_may_move(history[-1], reported):
            history.append(reported)
    return history


def _is_forward(history: Sequence[ApplicationStatus]) -> bool:
    return all(b in _reachable(a) for a, b in itertools.pairwise(history))


CASES = {
    "registered": (
        [[S.UNDER_REVIEW, S.APPROVED], [S.IN_PUBLICITY], [S.REGISTERED]],
        S.REGISTERED,
    ),
    "revoked": (
        [[S.UNDER_REVIEW, S.APPROVED], [S.IN_PUBLICITY], [S.REGISTERED, S.REVOKED]],
        S.REVOKED,
    ),
    "held then rejected": (
        [[S.UNDER_REVIEW, S.APPROVED, S.REJECTED], [S.IN_PUBLICITY]],
        S.REJECTED,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_any_cross_topic_order_ends_in_the_same_status_and_never_goes_back(case: str) -> None:
    topics, final = CASES[case]
    merges = _interleavings(*topics)
    assert len(merges) > 1
    for reports in merges:
        history = _follow(S.SUBMITTED, reports)
        assert history[-1] is final, (reports, history)
        assert _is_forward(history), (reports, history)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(sorted(EVENT_SOURCES)), max_size=12))
def test_whatever_events_arrive_the_status_only_moves_forward(
    reports: list[ApplicationStatus],
) -> None:
    history = _follow(S.SUBMITTED, reports)
    assert _is_forward(history)
    assert len(history) == len(set(history))  # never the same status twice in one round
    ended_at = next((i for i, s in enumerate(history) if s in ENDED), None)
    if ended_at is not None:
        assert ended_at == len(history) - 1  # nothing after an ended status
