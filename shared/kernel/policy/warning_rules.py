"""Automatic warnings (预警) of the formal review (domain.md §6) as data.

Each rule can be switched off and carries its severity: `block` — the agency cannot
approve until it is resolved; `warn` — shown, approving needs a note. Field names of
`WarningRules` are the warning codes the review service emits.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field

from shared.kernel.policy.values import Factor, PolicySection


class Severity(StrEnum):
    BLOCK = "block"
    WARN = "warn"


class WarningRule(PolicySection):
    enabled: bool
    severity: Severity


class RdShareOfSalesRule(WarningRule):
    """R&D expense ≥ `ratio` × sales revenue (default 1.00: R&D at least all of sales)."""

    ratio: Annotated[Factor, Field(gt=0)]


class SharedContactRule(WarningRule):
    """The same contact phone or e-mail on ≥ `min_enterprises` enterprises in one year."""

    min_enterprises: Annotated[int, Field(ge=2)]
    match_on: Annotated[tuple[Literal["phone", "email"], ...], Field(min_length=1)]


JumpMetric = Literal[
    "rd_ratio_sales",
    "rd_ratio_cost",
    "rd_expense_total",
    "sales_revenue",
    "total_assets",
    "employees_total",
    "st_personnel",
]


class JumpRule(WarningRule):
    """A metric at least `factor` times the enterprise's previous-year application."""

    factor: Annotated[Factor, Field(gt=1)]
    metrics: Annotated[tuple[JumpMetric, ...], Field(min_length=1)]


class WarningRules(PolicySection):
    rd_exceeds_cost: WarningRule  # R&D expense > total cost and expense
    rd_share_of_sales: RdShareOfSalesRule
    fast_track_inconsistent: WarningRule  # a fast-track claim whose evidence fails (art. 8)
    duplicate_ip: WarningRule  # the same IP number claimed by another enterprise this year
    shared_contact: SharedContactRule
    jump_vs_previous_year: JumpRule
    uscc_checksum: WarningRule  # GB 32100 check digit mismatch (some genuine codes fail it)
    credit_record: WarningRule  # listing or major incident in the previous or current year
    established_after_reported_year: WarningRule
    # The enterprise's self-evaluation disagrees with the server-side recomputation.
    self_evaluation_mismatch: WarningRule
    # Evidence documents: the same bytes (SHA-256) from another enterprise in the same year,
    # and an upload whose content does not parse as its type (judged at upload).
    document_reused: WarningRule = WarningRule(enabled=True, severity=Severity.BLOCK)
    evidence_unreadable: WarningRule = WarningRule(enabled=True, severity=Severity.WARN)
