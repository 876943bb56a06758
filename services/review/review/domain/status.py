"""Review case status (contract.md): pending → onsite_required → approved | returned |
rejected; approved → in_publicity → held (open objection) → registered | rejected.
`withdrawn`: the enterprise withdrew its application (not decidable); `closed`: its year
closed before it was registered (contract § Round 2 "Year close")."""

from __future__ import annotations

from enum import StrEnum


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
