"""The agency's decision (审查决定, domain.md §5.3): approve, return for correction, reject.

Approve is refused while a `block` warning is open or a required on-site check has no
passed result, and each open `warn` needs a note; return and reject need a reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from review.domain.errors import (
    BlockingWarningsOpen,
    NotDecidable,
    OnsiteCheckFailed,
    OnsiteCheckMissing,
    ReasonRequired,
    WarningNotesMissing,
)
from review.domain.onsite import FAILED, PASSED
from review.domain.status import DECIDABLE, CaseStatus
from shared.kernel.errors import field_error


class Decision(StrEnum):
    APPROVE = "approve"
    RETURN = "return"
    REJECT = "reject"


OUTCOME = {
    Decision.APPROVE: CaseStatus.APPROVED,
    Decision.RETURN: CaseStatus.RETURNED,
    Decision.REJECT: CaseStatus.REJECTED,
}


@dataclass(frozen=True, slots=True)
class OpenWarning:
    code: str
    subject: str
    severity: str


# Notes: one text for every open warning, or a text per warning code.
Notes = str | Mapping[str, str] | None


def _note_for(notes: Notes, code: str) -> str | None:
    if isinstance(notes, str):
        return notes.strip() or None
    if notes is None:
        return None
    text = notes.get(code)
    if text is None:
        return None
    return text.strip() or None


def decide(
    status: CaseStatus,
    decision: Decision,
    *,
    reason: str | None,
    notes: Notes,
    onsite_triggers: Sequence[str],
    onsite_result: str | None,
    open_warnings: Sequence[OpenWarning],
) -> tuple[CaseStatus, dict[tuple[str, str], str]]:
    """The new status, and the note recorded on each open `warn` warning (approve only)."""
    if status not in DECIDABLE:
        raise NotDecidable()
    if decision is not Decision.APPROVE:
        if not (reason and reason.strip()):
            raise ReasonRequired(
                details=[
                    field_error(
                        ["body", "reason"],
                        "退回或不予通过须说明理由",
                        "a reason is required to return or reject",
                        "reason_required",
                    )
                ]
            )
        return OUTCOME[decision], {}
    if onsite_triggers and onsite_result != PASSED:
        raise OnsiteCheckFailed() if onsite_result == FAILED else OnsiteCheckMissing()
    blocking = sorted({w.code for w in open_warnings if w.severity == "block"})
    if blocking:
        raise BlockingWarningsOpen(
            details=[
                field_error(["warnings", code], "阻断性预警未解决", "open", code)
                for code in blocking
            ]
        )
    noted: dict[tuple[str, str], str] = {}
    missing: list[str] = []
    for warning in open_warnings:
        note = _note_for(notes, warning.code)
        if note is None:
            missing.append(warning.code)
        else:
            noted[(warning.code, warning.subject)] = note
    if missing:
        raise WarningNotesMissing(
            details=[
                field_error(
                    ["body", "notes", code],
                    "该预警需要填写处理说明",
                    "this warning needs a note",
                    "note_required",
                )
                for code in sorted(set(missing))
            ]
        )
    return CaseStatus.APPROVED, noted
