"""Review case status (contract.md): pending → onsite_required → approved | returned |
rejected; approved → in_publicity → held (open objection) → registered | rejected.
`withdrawn`: the enterprise withdrew its application (not decidable); `closed`: its year
closed before it was registered (contract § Round 2 "Year close").

Every status write goes through the `move_*` function of its aggregate (case, publicity
batch, registration, objection), which checks the aggregate's transition table below and
refuses anything else with `IllegalTransition` (409). The use cases keep their own, more
specific refusals (`NotDecidable`, `BatchAlreadyAnnounced`, ...) in front of it: the table
is the last guard, so a code path that forgets a rule cannot write an impossible status.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from enum import StrEnum
from typing import TypeVar

from shared.kernel.errors import Conflict


class CaseStatus(StrEnum):
    PENDING = "pending"
    ONSITE_REQUIRED = "onsite_required"
    APPROVED = "approved"
    RETURNED = "returned"
    REJECTED = "rejected"
    IN_PUBLICITY = "in_publicity"
    HELD = "held"
    REGISTERED = "registered"
    WITHDRAWN = "withdrawn"
    # contract § Round 2 "Year close": the year closed before the case was registered.
    CLOSED = "closed"


# The agency may decide (and the review deadline runs) only in these.
DECIDABLE = frozenset({CaseStatus.PENDING, CaseStatus.ONSITE_REQUIRED})
# A new round (resubmission after `return`) may reopen a case only from these.
REOPENABLE = frozenset({CaseStatus.RETURNED, CaseStatus.PENDING, CaseStatus.ONSITE_REQUIRED})
# The enterprise may withdraw before a decision (domain.md §5.2) — as intake knows it: an
# approval still on its way to intake is ignored there once the application is withdrawn,
# so the withdrawal closes an approved case too (and one already put into publicity), or
# it would be published and registered for an application that no longer exists. Only a
# registration stands (a number once issued is undone by revocation, not by withdrawal).
WITHDRAWABLE = frozenset(
    {
        CaseStatus.PENDING,
        CaseStatus.ONSITE_REQUIRED,
        CaseStatus.RETURNED,
        CaseStatus.APPROVED,
        CaseStatus.IN_PUBLICITY,
        CaseStatus.HELD,
    }
)


# Closed at the year close (contract § Round 2): everything not yet final. A registered case
# stands; rejected and withdrawn ones are already final.
CLOSABLE = frozenset(
    {
        CaseStatus.PENDING,
        CaseStatus.ONSITE_REQUIRED,
        CaseStatus.RETURNED,
        CaseStatus.APPROVED,
        CaseStatus.IN_PUBLICITY,
        CaseStatus.HELD,
    }
)


class BatchStatus(StrEnum):
    IN_PUBLICITY = "in_publicity"
    ANNOUNCED = "announced"


class RegistrationStatus(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"  # computed on read: today after valid_until


class ObjectionState(StrEnum):
    """An objection against a case in publicity (domain.md §5.6), from supervision's events."""

    OPEN = "open"
    DISMISSED = "dismissed"
    UPHELD = "upheld"


C = CaseStatus
# contract.md "review": pending → onsite_required → approved | returned | rejected;
# approved → in_publicity → held (open objection) → registered | rejected. A new case and a
# resubmission (§5.3) set pending or onsite_required by its on-site triggers, as does the
# on-site result; an upheld objection rejects a case in publicity or held (§5.6); withdrawal
# (`WITHDRAWABLE`, §5.2) and the year close (`CLOSABLE`, contract § Round 2) end open cases.
_OPEN_ASSESSMENT = frozenset({C.PENDING, C.ONSITE_REQUIRED})
CASE_TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    C.PENDING: _OPEN_ASSESSMENT | {C.APPROVED, C.RETURNED, C.REJECTED},
    C.ONSITE_REQUIRED: _OPEN_ASSESSMENT | {C.APPROVED, C.RETURNED, C.REJECTED},
    C.RETURNED: _OPEN_ASSESSMENT,
    C.APPROVED: frozenset({C.IN_PUBLICITY}),
    C.IN_PUBLICITY: frozenset({C.HELD, C.REGISTERED, C.REJECTED}),
    C.HELD: frozenset({C.IN_PUBLICITY, C.REGISTERED, C.REJECTED}),
    C.REGISTERED: frozenset(),  # a number is undone by revoking the registration
    C.REJECTED: frozenset(),
    C.WITHDRAWN: frozenset(),
    C.CLOSED: frozenset(),
}
for _status in WITHDRAWABLE:
    CASE_TRANSITIONS[_status] = CASE_TRANSITIONS[_status] | {C.WITHDRAWN}
for _status in CLOSABLE:
    CASE_TRANSITIONS[_status] = CASE_TRANSITIONS[_status] | {C.CLOSED}

# contract.md "review" publicity batches: published in publicity, then announced once.
BATCH_TRANSITIONS: dict[BatchStatus, frozenset[BatchStatus]] = {
    BatchStatus.IN_PUBLICITY: frozenset({BatchStatus.ANNOUNCED}),
    BatchStatus.ANNOUNCED: frozenset(),
}
# domain.md §7: a registration is revoked once; `expired` is computed on read, never stored.
REGISTRATION_TRANSITIONS: dict[RegistrationStatus, frozenset[RegistrationStatus]] = {
    RegistrationStatus.VALID: frozenset({RegistrationStatus.REVOKED}),
    RegistrationStatus.REVOKED: frozenset(),
    RegistrationStatus.EXPIRED: frozenset(),
}
# domain.md §5.6: an objection is closed once, dismissed or upheld (supervision's finding).
OBJECTION_TRANSITIONS: dict[ObjectionState, frozenset[ObjectionState]] = {
    ObjectionState.OPEN: frozenset({ObjectionState.DISMISSED, ObjectionState.UPHELD}),
    ObjectionState.DISMISSED: frozenset(),
    ObjectionState.UPHELD: frozenset(),
}


class IllegalTransition(Conflict):
    code = "illegal_status_transition"


_S = TypeVar("_S", bound=StrEnum)


def _checked(
    table: Mapping[_S, frozenset[_S]], what: tuple[str, str], current: _S, target: _S
) -> _S:
    if target not in table[current]:
        raise IllegalTransition(
            message=f"{what[0]}当前状态为 {current.value}，不能变为 {target.value}",
            message_en=f"a {what[1]} in status {current.value} cannot become {target.value}",
        )
    return target


def move_case(current: CaseStatus, target: CaseStatus) -> CaseStatus:
    return _checked(CASE_TRANSITIONS, ("评审案件", "review case"), current, target)


def move_cases(sources: Collection[CaseStatus], target: CaseStatus) -> CaseStatus:
    """A set-based batch is checked once per (source, target) pair rather than per row: the
    caller only moves rows in one of `sources`."""
    for source in sources:
        move_case(source, target)
    return target


def move_batch(current: BatchStatus, target: BatchStatus) -> BatchStatus:
    return _checked(BATCH_TRANSITIONS, ("公示批次", "publicity batch"), current, target)


def move_registration(
    current: RegistrationStatus, target: RegistrationStatus
) -> RegistrationStatus:
    return _checked(REGISTRATION_TRANSITIONS, ("登记", "registration"), current, target)


def move_objection(current: ObjectionState, target: ObjectionState) -> ObjectionState:
    return _checked(OBJECTION_TRANSITIONS, ("公示异议", "objection"), current, target)
