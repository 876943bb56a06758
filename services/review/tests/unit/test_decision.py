"""The agency's decision rules (domain.md §5.3, §6)."""

from __future__ import annotations

import pytest

from review.domain.decision import Decision, OpenWarning, decide
from review.domain.errors import (
    BlockingWarningsOpen,
    NotDecidable,
    OnsiteCheckFailed,
    OnsiteCheckMissing,
    ReasonRequired,
    WarningNotesMissing,
)
from review.domain.status import CaseStatus

WARN = OpenWarning("rd_exceeds_cost", "", "warn")
WARN_IP = OpenWarning("duplicate_ip", "ZL1", "warn")
BLOCK = OpenWarning("credit_record", "e1", "block")


def _approve(**overrides: object) -> tuple[CaseStatus, dict[tuple[str, str], str]]:
    args: dict[str, object] = {
        "reason": None,
        "notes": None,
        "onsite_triggers": [],
        "onsite_result": None,
        "open_warnings": [],
    }
    args.update(overrides)
    return decide(CaseStatus.PENDING, Decision.APPROVE, **args)  # type: ignore[arg-type]


def test_a_clean_case_is_approved() -> None:
    assert _approve() == (CaseStatus.APPROVED, {})


def test_approval_is_refused_while_a_block_warning_is_open() -> None:
    with pytest.raises(BlockingWarningsOpen) as error:
        _approve(open_warnings=[BLOCK, WARN], notes="checked")
    assert error.value.details[0]["loc"] == ["warnings", "credit_record"]


def test_each_warn_needs_a_note() -> None:
    with pytest.raises(WarningNotesMissing) as error:
        _approve(open_warnings=[WARN, WARN_IP], notes={"rd_exceeds_cost": "audited"})
    assert [d["loc"] for d in error.value.details] == [["body", "notes", "duplicate_ip"]]


def test_notes_per_code_are_recorded_on_each_warning() -> None:
    status, noted = _approve(
        open_warnings=[WARN, WARN_IP], notes={"rd_exceeds_cost": "audited", "duplicate_ip": "ok"}
    )
    assert status is CaseStatus.APPROVED
    assert noted == {("rd_exceeds_cost", ""): "audited", ("duplicate_ip", "ZL1"): "ok"}


def test_one_note_text_covers_every_warning() -> None:
    _, noted = _approve(open_warnings=[WARN, WARN_IP], notes="all verified on site")
    assert set(noted.values()) == {"all verified on site"}


def test_a_blank_note_is_no_note() -> None:
    with pytest.raises(WarningNotesMissing):
        _approve(open_warnings=[WARN], notes="   ")


def test_approval_needs_the_onsite_result_when_a_trigger_matched() -> None:
    with pytest.raises(OnsiteCheckMissing):
        _approve(onsite_triggers=["few_employees"])
    with pytest.raises(OnsiteCheckFailed):
        _approve(onsite_triggers=["few_employees"], onsite_result="failed")
    assert _approve(onsite_triggers=["few_employees"], onsite_result="passed")[0] is (
        CaseStatus.APPROVED
    )


@pytest.mark.parametrize("decision", [Decision.RETURN, Decision.REJECT])
def test_return_and_reject_need_a_reason(decision: Decision) -> None:
    with pytest.raises(ReasonRequired):
        decide(
            CaseStatus.PENDING,
            decision,
            reason=" ",
            notes=None,
            onsite_triggers=[],
            onsite_result=None,
            open_warnings=[],
        )


def test_return_is_possible_despite_open_warnings_and_a_missing_onsite_check() -> None:
    status, _ = decide(
        CaseStatus.ONSITE_REQUIRED,
        Decision.RETURN,
        reason="补充研发费用明细",
        notes=None,
        onsite_triggers=["low_rd_expense"],
        onsite_result=None,
        open_warnings=[BLOCK],
    )
    assert status is CaseStatus.RETURNED


@pytest.mark.parametrize(
    "status",
    [CaseStatus.APPROVED, CaseStatus.WITHDRAWN, CaseStatus.RETURNED, CaseStatus.IN_PUBLICITY],
)
def test_a_case_out_of_review_cannot_be_decided(status: CaseStatus) -> None:
    with pytest.raises(NotDecidable):
        decide(
            status,
            Decision.REJECT,
            reason="x",
            notes=None,
            onsite_triggers=[],
            onsite_result=None,
            open_warnings=[],
        )
