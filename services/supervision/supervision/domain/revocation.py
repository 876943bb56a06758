"""Revocation of a registration number (撤销登记编号, domain.md §7 and § Round 2).

Only the provincial department decides, and only after notice and statement (告知—陈述申辩,
contract § Round 2): a proposal (撤销建议, from an agency, from joint punishment or from a
failed spot check) is `proposed`; the province takes it up, or starts one itself, and the
enterprise is told the ground and basis (`notified`, with `statement_due_on` 10 working days
later, policy); it may state its case once (`stated`); the province then decides —
`revoked` or `dismissed` — after the statement or after the due date. Grounds established
by another authority's final decision (a credit listing, a major incident) may skip the
statement. A revocation supersedes the number's other open proposals; at most one per number.
Every status write goes through `move_revocation`, which checks `TRANSITIONS`.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import get_args

from shared.kernel.events.payloads.supervision import RevocationGround
from supervision.domain.errors import RevocationConflict

# contract.md: exactly these grounds.
GROUNDS: tuple[str, ...] = get_args(RevocationGround)


class RevocationStatus(StrEnum):
    PROPOSED = "proposed"  # 撤销建议，待省厅处理
    NOTIFIED = "notified"  # 已告知，陈述申辩期内
    STATED = "stated"  # 企业已陈述申辩
    REVOKED = "revoked"  # 已决定撤销 (was `decided` before the procedure)
    DISMISSED = "dismissed"  # 不予撤销
    SUPERSEDED = "superseded"  # 同一编号已另行决定


R = RevocationStatus
# contract § Round 2 "Revocation with notice and statement": proposed → notified → stated →
# revoked | dismissed; a proposal not taken up is dismissed, one on a number revoked
# otherwise is superseded, and a skippable ground (`SKIPPABLE_GROUNDS`) is revoked at once.
TRANSITIONS: dict[RevocationStatus, frozenset[RevocationStatus]] = {
    R.PROPOSED: frozenset({R.NOTIFIED, R.REVOKED, R.DISMISSED, R.SUPERSEDED}),
    R.NOTIFIED: frozenset({R.STATED, R.REVOKED, R.DISMISSED}),
    R.STATED: frozenset({R.REVOKED, R.DISMISSED}),
    R.REVOKED: frozenset(),
    R.DISMISSED: frozenset(),
    R.SUPERSEDED: frozenset(),
}

# A procedure under way: the enterprise has been told and the province has not decided yet.
IN_PROCEDURE = frozenset({RevocationStatus.NOTIFIED, RevocationStatus.STATED})
# Grounds established by another authority's final decision may skip the statement.
SKIPPABLE_GROUNDS = frozenset({"credit_listing", "major_incident"})


class RevocationOrigin(StrEnum):
    PROVINCE = "province"  # decided directly by the department
    AGENCY = "agency"  # proposed by the agency of jurisdiction
    JOINT_PUNISHMENT = "joint_punishment"  # 联合惩戒: a listing or incident
    SPOT_CHECK = "spot_check"  # 集中抽查 failed
    CHANGE_REPORT = "change_report"  # 重大变化报告: no longer meets a size condition


def ensure_open(status: RevocationStatus) -> None:
    if status is not RevocationStatus.PROPOSED:
        raise RevocationConflict(
            f"该撤销建议已处理（{status.value}）",
            f"the proposal is no longer open (status {status.value})",
        )


def may_decide(status: RevocationStatus, today: date, statement_due_on: date | None) -> bool:
    """After the statement, or once the statement period has passed without one."""
    if status is RevocationStatus.STATED:
        return True
    return (
        status is RevocationStatus.NOTIFIED
        and statement_due_on is not None
        and today > statement_due_on
    )


def may_state(status: RevocationStatus, today: date, statement_due_on: date | None) -> bool:
    """Once, while notified, until the due date (the day included)."""
    return (
        status is RevocationStatus.NOTIFIED
        and statement_due_on is not None
        and today <= statement_due_on
    )


def move_revocation(current: RevocationStatus, target: RevocationStatus) -> RevocationStatus:
    """The one guard of a revocation's status: `target`, or `RevocationConflict` (409)."""
    if target not in TRANSITIONS[current]:
        raise RevocationConflict(
            f"撤销程序当前状态为 {current.value}，不能变为 {target.value}",
            f"a revocation in status {current.value} cannot become {target.value}",
        )
    return target
