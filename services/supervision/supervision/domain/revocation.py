"""Revocation of a registration number (撤销登记编号, domain.md §7).

Only the provincial department decides. A proposal (撤销建议) comes from an agency, from
joint punishment (a listing or incident for a registered enterprise) or from a failed spot
check; the province confirms it (→ `decided`) or dismisses it. A decision for a number
supersedes the number's other open proposals. At most one decision per number.
"""

from __future__ import annotations

from enum import StrEnum
from typing import get_args

from shared.events.payloads.supervision import RevocationGround
from supervision.domain.errors import RevocationConflict

# contract.md: exactly these grounds.
GROUNDS: tuple[str, ...] = get_args(RevocationGround)


class RevocationStatus(StrEnum):
    PROPOSED = "proposed"  # 待决定
    DECIDED = "decided"  # 已决定撤销
    DISMISSED = "dismissed"  # 不予撤销
    SUPERSEDED = "superseded"  # 同一编号已另行决定


class RevocationOrigin(StrEnum):
    PROVINCE = "province"  # decided directly by the department
    AGENCY = "agency"  # proposed by the agency of jurisdiction
    JOINT_PUNISHMENT = "joint_punishment"  # 联合惩戒: a listing or incident
    SPOT_CHECK = "spot_check"  # 集中抽查 failed


def ensure_open(status: RevocationStatus) -> None:
    if status is not RevocationStatus.PROPOSED:
        raise RevocationConflict(
            f"该撤销建议已处理（{status.value}）",
            f"the proposal is no longer open (status {status.value})",
        )
