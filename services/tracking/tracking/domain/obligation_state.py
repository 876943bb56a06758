"""States of a quarterly reporting obligation (contract.md "tracking") and what a report does.

    due ──report on or before due_on──▶ submitted   (replaceable until due_on)
    due ──due_on passed, no report────▶ overdue     (set-based job, one event each)
    due | overdue ──report after due_on──▶ late     (accepted once)

States never go back: a `late` or `submitted` obligation is never made `overdue`, and an
`overdue` one only moves on to `late`. Every state write goes through `move()`, which checks
`TRANSITIONS` (the set-based overdue job checks its one (due, overdue) pair once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from shared.kernel.errors import Conflict


class ObligationState(StrEnum):
    DUE = "due"
    SUBMITTED = "submitted"
    LATE = "late"
    OVERDUE = "overdue"


REPORTED = frozenset({ObligationState.SUBMITTED, ObligationState.LATE})

S = ObligationState

# contract.md "tracking" (obligation states) and domain.md §8 (quarterly reports).
TRANSITIONS: dict[ObligationState, frozenset[ObligationState]] = {
    S.DUE: frozenset({S.SUBMITTED, S.LATE, S.OVERDUE}),
    S.SUBMITTED: frozenset({S.SUBMITTED}),  # replaced on or before the due date
    S.OVERDUE: frozenset({S.LATE}),
    S.LATE: frozenset(),  # a late report is accepted once
}


class QuarterNotStarted(Conflict):
    code = "quarter_not_started"
    message = "该季度尚未开始，不能填报"
    message_en = "The quarter has not started yet; it cannot be reported"


class ReportNoLongerReplaceable(Conflict):
    code = "report_not_replaceable"
    message = "季度报告已过截止日期，不能再修改"
    message_en = "The due date has passed; the quarterly report can no longer be replaced"


class LateReportAlreadyFiled(Conflict):
    code = "late_report_already_filed"
    message = "逾期报告只能提交一次，已提交"
    message_en = "A late report is accepted once, and it has been filed"


@dataclass(frozen=True, slots=True)
class SubmissionOutcome:
    state: ObligationState
    late: bool
    replaces: bool  # an earlier report of the quarter is replaced


def decide_submission(
    state: ObligationState, due_on: date, quarter_starts_on: date, today: date
) -> SubmissionOutcome:
    """What a report filed on `today` does to an obligation (domain.md §8), or why not."""
    if today < quarter_starts_on:
        raise QuarterNotStarted()
    on_time = today <= due_on  # the due date itself is still on time
    if state is ObligationState.LATE:
        raise LateReportAlreadyFiled()
    if state is ObligationState.SUBMITTED:
        if not on_time:
            raise ReportNoLongerReplaceable()
        return SubmissionOutcome(ObligationState.SUBMITTED, late=False, replaces=True)
    if on_time:
        return SubmissionOutcome(ObligationState.SUBMITTED, late=False, replaces=False)
    # Past the due date, whether or not the overdue job has marked it yet; an overdue
    # obligation reported later becomes late (contract.md states).
    return SubmissionOutcome(ObligationState.LATE, late=True, replaces=False)


class ObligationStateConflict(Conflict):
    """A move no command makes (e.g. `overdue` → `submitted`): refused all the same."""

    code = "obligation_state_conflict"
    message = "报告义务当前状态下不能执行该操作"
    message_en = "The reporting obligation cannot make that change in its current state"


def move(current: ObligationState, target: ObligationState) -> ObligationState:
    """The one guard of an obligation's state: `target` if `TRANSITIONS` allows it, else the
    409 the API answers for that state (the same errors `decide_submission` raises)."""
    if target in TRANSITIONS[current]:
        return target
    if current is S.LATE:
        raise LateReportAlreadyFiled()
    if current is S.SUBMITTED:
        raise ReportNoLongerReplaceable()
    raise ObligationStateConflict()
