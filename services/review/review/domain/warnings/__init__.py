"""Automatic warnings (预警, domain.md §6): one small pure rule per family, each switched on
and given its severity by the yearly policy's `warnings` section."""

from __future__ import annotations

from collections.abc import Callable

from review.domain.warnings.contacts import shared_contact
from review.domain.warnings.credit import credit_record
from review.domain.warnings.established import established_after_reported_year
from review.domain.warnings.evidence import document_reused, evidence_unreadable
from review.domain.warnings.fast_track import fast_track_inconsistent
from review.domain.warnings.figures import rd_exceeds_cost, rd_share_of_sales
from review.domain.warnings.ip_claims import duplicate_ip
from review.domain.warnings.jump import jump_vs_previous_year
from review.domain.warnings.model import (
    ContactUsage,
    CreditEntry,
    RaisedWarning,
    WarningContext,
)
from review.domain.warnings.self_evaluation import self_evaluation_mismatch
from review.domain.warnings.uscc import uscc_checksum
from shared.kernel.policy.warning_rules import WarningRules

Rule = Callable[[WarningContext, WarningRules], list[RaisedWarning]]

RULES: tuple[Rule, ...] = (
    self_evaluation_mismatch,
    rd_exceeds_cost,
    rd_share_of_sales,
    fast_track_inconsistent,
    duplicate_ip,
    shared_contact,
    jump_vs_previous_year,
    uscc_checksum,
    credit_record,
    established_after_reported_year,
    document_reused,
    evidence_unreadable,
)


def evaluate_warnings(ctx: WarningContext, rules: WarningRules) -> list[RaisedWarning]:
    """Every warning the case's facts raise under the year's rules."""
    return [warning for rule in RULES for warning in rule(ctx, rules)]


__all__ = [
    "RULES",
    "ContactUsage",
    "CreditEntry",
    "RaisedWarning",
    "WarningContext",
    "evaluate_warnings",
]
