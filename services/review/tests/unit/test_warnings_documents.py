"""Warnings on evidence documents: the same bytes from another enterprise (block), content
that does not parse as its type (warn)."""

from __future__ import annotations

from review.domain.warnings import evaluate_warnings
from review.domain.warnings.evidence import document_reused, evidence_unreadable
from shared.kernel.events.payloads.intake import EvidenceDocument
from shared.kernel.policy.model import Policy

from .conftest import ContextFactory, with_warning_rule

OTHER = "91150105MA0Q4YYYY1"


def doc(n: int, **changes: object) -> EvidenceDocument:
    fields: dict[str, object] = {
        "id": f"d{n}",
        "kind": "financial_statements",
        "media_type": "application/pdf",
        "size": 100,
        "sha256": f"{n:064x}",
        **changes,
    }
    return EvidenceDocument.model_validate(fields)


def test_a_document_another_enterprise_uploaded_blocks(
    context: ContextFactory, policy: Policy
) -> None:
    ctx = context(documents=(doc(1, reused_by=[OTHER]), doc(2)))
    [warning] = document_reused(ctx, policy.warnings)
    assert (warning.code, warning.severity, warning.subject) == (
        "document_reused",
        "block",
        f"{1:064x}",
    )
    assert warning.data["other_enterprises"] == [OTHER]
    assert OTHER in warning.message


def test_unreadable_content_warns_once_per_document(
    context: ContextFactory, policy: Policy
) -> None:
    ctx = context(documents=(doc(1, readable=False), doc(2, readable=False), doc(3)))
    warnings = evidence_unreadable(ctx, policy.warnings)
    assert [(w.code, w.severity, w.subject) for w in warnings] == [
        ("evidence_unreadable", "warn", "d1"),
        ("evidence_unreadable", "warn", "d2"),
    ]


def test_both_rules_run_with_the_others_and_follow_the_policy(
    context: ContextFactory, policy: Policy
) -> None:
    ctx = context(documents=(doc(1, reused_by=[OTHER], readable=False),))
    codes = {w.code for w in evaluate_warnings(ctx, policy.warnings)}
    assert {"document_reused", "evidence_unreadable"} <= codes
    off = with_warning_rule(policy, "document_reused", enabled=False)
    assert document_reused(ctx, off.warnings) == []
