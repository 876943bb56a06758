"""Every move of an obligation's state, allowed and refused, through the one guard `move()`
(contract.md "tracking" states, domain.md §8); a refused move answers the API's 409s."""

from __future__ import annotations

import itertools

import pytest

from shared.kernel.errors import Conflict, ErrorKind
from tracking.domain.obligation_state import (
    TRANSITIONS,
    LateReportAlreadyFiled,
    ObligationState,
    ObligationStateConflict,
    ReportNoLongerReplaceable,
    move,
)

S = ObligationState

# Spelled out, not derived from the table under test.
ALLOWED = {
    (S.DUE, S.SUBMITTED),  # reported on or before the due date
    (S.DUE, S.LATE),  # reported after it, before the overdue job ran
    (S.DUE, S.OVERDUE),  # the overdue job
    (S.SUBMITTED, S.SUBMITTED),  # replaced on or before the due date
    (S.OVERDUE, S.LATE),  # reported after being marked overdue
}
REFUSED_WITH: dict[ObligationState, type[Conflict]] = {
    S.LATE: LateReportAlreadyFiled,
    S.SUBMITTED: ReportNoLongerReplaceable,
    S.OVERDUE: ObligationStateConflict,
    S.DUE: ObligationStateConflict,
}


def test_the_listed_moves_are_the_table() -> None:
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == ALLOWED


@pytest.mark.parametrize(("current", "target"), list(itertools.product(S, S)), ids=str)
def test_a_move_is_allowed_exactly_along_the_table(
    current: ObligationState, target: ObligationState
) -> None:
    if (current, target) in ALLOWED:
        assert move(current, target) is target
    else:
        with pytest.raises(REFUSED_WITH[current]) as refused:
            move(current, target)
        assert refused.value.kind is ErrorKind.CONFLICT  # 409


def test_the_refusals_keep_the_codes_the_api_answers() -> None:
    with pytest.raises(LateReportAlreadyFiled) as late:
        move(S.LATE, S.LATE)
    assert late.value.code == "late_report_already_filed"
    with pytest.raises(ReportNoLongerReplaceable) as replaced:
        move(S.SUBMITTED, S.LATE)
    assert replaced.value.code == "report_not_replaceable"
