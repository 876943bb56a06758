"""Application status machine (contract.md "Application status").

draft → submitted → under_review → returned | approved | rejected;
approved → in_publicity → registered | rejected; registered → revoked;
withdrawn from draft, submitted, under_review, returned.
A returned application is edited and submitted again (returned → submitted).
"""

from __future__ import annotations

from enum import StrEnum

from shared.errors import Conflict


class ApplicationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    RETURNED = "returned"
    APPROVED = "approved"
    REJECTED = "rejected"
    IN_PUBLICITY = "in_publicity"
    REGISTERED = "registered"
    REVOKED = "revoked"
    WITHDRAWN = "withdrawn"


S = ApplicationStatus

TRANSITIONS: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.UNDER_REVIEW, S.WITHDRAWN, S.RETURNED, S.APPROVED, S.REJECTED}),
    S.UNDER_REVIEW: frozenset({S.RETURNED, S.APPROVED, S.REJECTED, S.WITHDRAWN}),
    S.RETURNED: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.IN_PUBLICITY, S.REGISTERED, S.REJECTED}),
    S.IN_PUBLICITY: frozenset({S.REGISTERED, S.REJECTED}),
    S.REGISTERED: frozenset({S.REVOKED}),
    S.REJECTED: frozenset(),
    S.REVOKED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

EDITABLE = frozenset({S.DRAFT, S.RETURNED})


class IllegalTransition(Conflict):
    code = "illegal_status_transition"


def can_move(current: ApplicationStatus, target: ApplicationStatus) -> bool:
    return target in TRANSITIONS[current]


def ensure_can_move(current: ApplicationStatus, target: ApplicationStatus) -> None:
    if not can_move(current, target):
        raise IllegalTransition(
            message=f"申请当前状态为 {current.value}，不能变为 {target.value}",
            message_en=f"an application in status {current.value} cannot become {target.value}",
        )
