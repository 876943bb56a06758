"""What a report does to an obligation (due / submitted / late / overdue)."""

from __future__ import annotations

from datetime import date

import pytest

from tracking.domain.obligation_state import (
    LateReportAlreadyFiled,
    ObligationState,
    QuarterNotStarted,
    ReportNoLongerReplaceable,
    decide_submission,
)

S = ObligationState
DUE_ON = date(2027, 1, 15)
STARTS = date(2026, 10, 1)


@pytest.mark.parametrize(
    ("state", "today", "expected", "late", "replaces"),
    [
        (S.DUE, date(2026, 11, 26), S.SUBMITTED, False, False),
        (S.DUE, DUE_ON, S.SUBMITTED, False, False),  # the due date itself is on time
        (S.SUBMITTED, DUE_ON, S.SUBMITTED, False, True),
        (S.DUE, date(2027, 1, 16), S.LATE, True, False),  # not yet marked overdue
        (S.OVERDUE, date(2027, 3, 1), S.LATE, True, False),
    ],
)
def test_a_report_moves_the_obligation_forward(
    state: ObligationState, today: date, expected: ObligationState, late: bool, replaces: bool
) -> None:
    outcome = decide_submission(state, DUE_ON, STARTS, today)
    assert (outcome.state, outcome.late, outcome.replaces) == (expected, late, replaces)


def test_a_submitted_report_cannot_be_replaced_after_the_due_date() -> None:
    with pytest.raises(ReportNoLongerReplaceable):
        decide_submission(S.SUBMITTED, DUE_ON, STARTS, date(2027, 1, 16))


@pytest.mark.parametrize("today", [date(2027, 1, 20), DUE_ON])
def test_a_late_report_is_accepted_only_once(today: date) -> None:
    with pytest.raises(LateReportAlreadyFiled):
        decide_submission(S.LATE, DUE_ON, STARTS, today)


def test_a_quarter_cannot_be_reported_before_it_starts() -> None:
    with pytest.raises(QuarterNotStarted):
        decide_submission(S.DUE, DUE_ON, STARTS, date(2026, 9, 30))


def test_the_refusals_are_conflicts_with_both_languages() -> None:
    for error in (QuarterNotStarted(), ReportNoLongerReplaceable(), LateReportAlreadyFiled()):
        assert error.kind.value == "conflict"
        assert error.message
        assert error.message_en
        assert error.message != error.message_en
