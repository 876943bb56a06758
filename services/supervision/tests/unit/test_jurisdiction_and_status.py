"""Which agency handles a case, and the case's state machine."""

from __future__ import annotations

import pytest

from shared.kernel.codes.uscc import with_check_digit
from supervision.domain.cases import CaseStatus, ensure_can_move
from supervision.domain.errors import CaseStateConflict
from supervision.domain.jurisdiction import agency_by_uscc_region, case_agency

HOHHOT_CODE = with_check_digit("91150105MA0000001")
MANZHOULI_CODE = with_check_digit("91150781MA0000001")
PROVINCIAL_CODE = with_check_digit("91150000MA0000001")
BEIJING_CODE = with_check_digit("91110105MA0000001")


@pytest.mark.parametrize(
    ("uscc", "agency"),
    [
        (HOHHOT_CODE, "150100"),
        (MANZHOULI_CODE, "150781"),  # the county-level city before its league
        (PROVINCIAL_CODE, None),  # registered by a provincial authority: no agency's area
        (BEIJING_CODE, None),
    ],
)
def test_agency_by_the_uscc_region(uscc: str, agency: str | None) -> None:
    assert agency_by_uscc_region(uscc) == agency


def test_the_batch_agency_wins_over_everything() -> None:
    assert (
        case_agency(HOHHOT_CODE, batch_agency="htz-hohhot", registered_agency="150200")
        == "htz-hohhot"
    )


def test_the_registration_wins_over_publicity_and_region() -> None:
    assert case_agency(HOHHOT_CODE, registered_agency="htz-hohhot", publicity_agency="150200") == (
        "htz-hohhot"
    )
    assert case_agency(HOHHOT_CODE, publicity_agency="150200") == "150200"


def test_an_enterprise_outside_every_agency_goes_to_the_province() -> None:
    assert case_agency(BEIJING_CODE) == "150000"
    assert case_agency(PROVINCIAL_CODE) == "150000"


def test_an_unknown_agency_code_from_an_event_is_not_trusted() -> None:
    assert case_agency(HOHHOT_CODE, registered_agency="999999") == "150100"


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (CaseStatus.RECEIVED, CaseStatus.ACCEPTED),
        (CaseStatus.RECEIVED, CaseStatus.NOT_ACCEPTED),
        (CaseStatus.ACCEPTED, CaseStatus.CONCLUDED),
    ],
)
def test_allowed_moves(current: CaseStatus, target: CaseStatus) -> None:
    ensure_can_move(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (CaseStatus.RECEIVED, CaseStatus.CONCLUDED),
        (CaseStatus.NOT_ACCEPTED, CaseStatus.ACCEPTED),
        (CaseStatus.CONCLUDED, CaseStatus.ACCEPTED),
        (CaseStatus.ACCEPTED, CaseStatus.NOT_ACCEPTED),
    ],
)
def test_refused_moves(current: CaseStatus, target: CaseStatus) -> None:
    with pytest.raises(CaseStateConflict):
        ensure_can_move(current, target)
