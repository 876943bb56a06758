"""Every move of a supervision case (objections, complaints, reports) and of a revocation,
allowed and refused, through each aggregate's one guard (domain.md §7; contract.md
"supervision" and § Round 2 "Revocation with notice and statement")."""

from __future__ import annotations

import itertools

import pytest

from shared.kernel.errors import ErrorKind
from supervision.domain.cases import CaseStatus, move_case
from supervision.domain.errors import CaseStateConflict, RevocationConflict
from supervision.domain.revocation import RevocationStatus, move_revocation

C, R = CaseStatus, RevocationStatus

# Spelled out, not derived from the tables under test.
CASE_MOVES = {
    (C.RECEIVED, C.ACCEPTED),
    (C.RECEIVED, C.NOT_ACCEPTED),
    (C.ACCEPTED, C.CONCLUDED),
}
REVOCATION_MOVES = {
    (R.PROPOSED, R.NOTIFIED),  # taken up: the enterprise is told
    (R.PROPOSED, R.REVOKED),  # a ground another authority established skips the statement
    (R.PROPOSED, R.DISMISSED),  # not taken up
    (R.PROPOSED, R.SUPERSEDED),  # the number was revoked on another proposal
    (R.NOTIFIED, R.STATED),
    (R.NOTIFIED, R.REVOKED),  # the statement period passed without one
    (R.NOTIFIED, R.DISMISSED),
    (R.STATED, R.REVOKED),
    (R.STATED, R.DISMISSED),
}


@pytest.mark.parametrize(("current", "target"), list(itertools.product(C, C)), ids=str)
def test_a_case_moves_exactly_along_its_table(current: CaseStatus, target: CaseStatus) -> None:
    if (current, target) in CASE_MOVES:
        assert move_case(current, target) is target
    else:
        with pytest.raises(CaseStateConflict) as refused:
            move_case(current, target)
        assert refused.value.kind is ErrorKind.CONFLICT  # 409
        assert target.value in refused.value.message_en


@pytest.mark.parametrize(("current", "target"), list(itertools.product(R, R)), ids=str)
def test_a_revocation_moves_exactly_along_its_table(
    current: RevocationStatus, target: RevocationStatus
) -> None:
    if (current, target) in REVOCATION_MOVES:
        assert move_revocation(current, target) is target
    else:
        with pytest.raises(RevocationConflict) as refused:
            move_revocation(current, target)
        assert refused.value.code == "revocation_conflict"
        assert refused.value.kind is ErrorKind.CONFLICT  # 409
