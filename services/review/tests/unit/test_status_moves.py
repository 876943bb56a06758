"""Every move of a review case, publicity batch, registration and objection, allowed and
refused, through each aggregate's one guard (contract.md "review"; domain.md §5-§7)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from enum import StrEnum

import pytest

from review.domain.status import (
    BatchStatus,
    CaseStatus,
    IllegalTransition,
    ObjectionState,
    RegistrationStatus,
    move_batch,
    move_case,
    move_cases,
    move_objection,
    move_registration,
)
from shared.kernel.errors import ErrorKind

C = CaseStatus
ASSESSING = {C.PENDING, C.ONSITE_REQUIRED}
ENDINGS = {C.WITHDRAWN, C.CLOSED}  # withdrawal (§5.2) and the year close end open cases

# Spelled out, not derived from the tables under test.
CASE_MOVES = {
    C.PENDING: ASSESSING | {C.APPROVED, C.RETURNED, C.REJECTED} | ENDINGS,
    C.ONSITE_REQUIRED: ASSESSING | {C.APPROVED, C.RETURNED, C.REJECTED} | ENDINGS,
    C.RETURNED: ASSESSING | ENDINGS,  # resubmitted (§5.3)
    C.APPROVED: {C.IN_PUBLICITY} | ENDINGS,
    C.IN_PUBLICITY: {C.HELD, C.REGISTERED, C.REJECTED} | ENDINGS,
    C.HELD: {C.IN_PUBLICITY, C.REGISTERED, C.REJECTED} | ENDINGS,
    C.REGISTERED: set(),
    C.REJECTED: set(),
    C.WITHDRAWN: set(),
    C.CLOSED: set(),
}
BATCH_MOVES = {BatchStatus.IN_PUBLICITY: {BatchStatus.ANNOUNCED}, BatchStatus.ANNOUNCED: set()}
REGISTRATION_MOVES = {
    RegistrationStatus.VALID: {RegistrationStatus.REVOKED},
    RegistrationStatus.REVOKED: set(),
    RegistrationStatus.EXPIRED: set(),
}
OBJECTION_MOVES = {
    ObjectionState.OPEN: {ObjectionState.DISMISSED, ObjectionState.UPHELD},
    ObjectionState.DISMISSED: set(),
    ObjectionState.UPHELD: set(),
}

Move = Callable[[StrEnum, StrEnum], StrEnum]
MACHINES: list[tuple[Move, dict[StrEnum, set[StrEnum]]]] = [
    (move_case, CASE_MOVES),
    (move_batch, BATCH_MOVES),
    (move_registration, REGISTRATION_MOVES),
    (move_objection, OBJECTION_MOVES),
]
CASES = [
    pytest.param(move, current, target, target in allowed[current], id=f"{current}->{target}")
    for move, allowed in MACHINES
    for current, target in itertools.product(allowed, allowed)
]


@pytest.mark.parametrize(("move", "current", "target", "allowed"), CASES)
def test_each_aggregate_moves_exactly_along_its_table(
    move: Move, current: StrEnum, target: StrEnum, allowed: bool
) -> None:
    if allowed:
        assert move(current, target) is target
    else:
        with pytest.raises(IllegalTransition) as refused:
            move(current, target)
        assert refused.value.code == "illegal_status_transition"
        assert refused.value.kind is ErrorKind.CONFLICT  # 409
        assert str(target) in refused.value.message_en


def test_a_set_based_move_is_checked_once_per_source() -> None:
    assert move_cases({C.IN_PUBLICITY, C.HELD}, C.REGISTERED) is C.REGISTERED
    with pytest.raises(IllegalTransition):
        move_cases({C.APPROVED, C.PENDING}, C.IN_PUBLICITY)
