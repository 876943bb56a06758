"""Supervision cases (监督案件): objections (异议), complaints (投诉) and reports (举报).

Handling (domain.md §7): `received` → `accepted` | `not_accepted` (with reason) →
`concluded` (`substantiated` | `unsubstantiated`, with measures). Only these moves exist:
every status write goes through `move_case`, which checks `_MOVES`.
"""

from __future__ import annotations

from enum import StrEnum

from supervision.domain.errors import CaseStateConflict


class CaseKind(StrEnum):
    OBJECTION = "objection"  # 异议: only during publicity, named filers only (§5.5)
    COMPLAINT = "complaint"  # 投诉
    REPORT = "report"  # 举报


class CaseStatus(StrEnum):
    RECEIVED = "received"  # 已接收
    ACCEPTED = "accepted"  # 已受理
    NOT_ACCEPTED = "not_accepted"  # 不予受理
    CONCLUDED = "concluded"  # 已办结


class Finding(StrEnum):
    SUBSTANTIATED = "substantiated"  # 属实
    UNSUBSTANTIATED = "unsubstantiated"  # 不属实


_MOVES: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.RECEIVED: frozenset({CaseStatus.ACCEPTED, CaseStatus.NOT_ACCEPTED}),
    CaseStatus.ACCEPTED: frozenset({CaseStatus.CONCLUDED}),
    CaseStatus.NOT_ACCEPTED: frozenset(),
    CaseStatus.CONCLUDED: frozenset(),
}

_NAMES = {
    CaseStatus.RECEIVED: "已接收",
    CaseStatus.ACCEPTED: "已受理",
    CaseStatus.NOT_ACCEPTED: "不予受理",
    CaseStatus.CONCLUDED: "已办结",
}


def ensure_can_move(current: CaseStatus, target: CaseStatus) -> None:
    if target not in _MOVES[current]:
        raise CaseStateConflict(
            f"案件状态为“{_NAMES[current]}”，不能变为“{_NAMES[target]}”",
            f"a case in status {current.value} cannot become {target.value}",
        )


def open_deadline_status(status: CaseStatus) -> bool:
    """Whether a case in `status` still has a handling deadline running."""
    return status in (CaseStatus.RECEIVED, CaseStatus.ACCEPTED)


def move_case(current: CaseStatus, target: CaseStatus) -> CaseStatus:
    """The one guard of a case's status: `target`, or `CaseStateConflict` (409)."""
    ensure_can_move(current, target)
    return target
