"""Review case status (contract.md): pending → onsite_required → approved | returned |
rejected; approved → in_publicity → held (open objection) → registered | rejected."""

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
