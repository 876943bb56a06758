"""Warnings on the evidence documents (domain.md Round 2, Evidence).

- `document_reused` (block by default): the same bytes (SHA-256) were uploaded by another
  enterprise for the same year — one statement or certificate filed for two enterprises.
  Intake knows every upload and names the other enterprises in the submitted metadata.
- `evidence_unreadable` (warn by default): the content does not parse as its type (a PDF
  without its end marker, a PNG with a broken chunk), judged by intake at upload.
"""

from __future__ import annotations

from review.domain.warnings.model import RaisedWarning, WarningContext
from shared.kernel.policy.warning_rules import WarningRules

_KINDS = {
    "financial_statements": ("财务会计报告", "financial statements"),
    "rd_expense_ledger": ("研发费用辅助账", "R&D expense ledger"),
    "ip_certificate": ("知识产权证书", "IP certificate"),
    "fast_track_evidence": ("直通车证明材料", "fast-track evidence"),
    "other": ("其他材料", "other document"),
}


def _named(kind: str, refers_to: str | None) -> tuple[str, str]:
    zh, en = _KINDS.get(kind, (kind, kind))
    if refers_to:
        return f"{zh}（{refers_to}）", f"{en} ({refers_to})"
    return zh, en


def document_reused(ctx: WarningContext, rules: WarningRules) -> list[RaisedWarning]:
    rule = rules.document_reused
    if not rule.enabled:
        return []
    raised: dict[str, RaisedWarning] = {}
    for document in ctx.documents:
        if not document.reused_by or document.sha256 in raised:
            continue
        zh, en = _named(document.kind, document.refers_to)
        others = sorted(document.reused_by)
        raised[document.sha256] = RaisedWarning(
            code="document_reused",
            severity=rule.severity.value,
            message=f"{zh}与本年度其他企业提交的材料完全相同：{'、'.join(others)}",
            message_en=f"The {en} is byte-identical to a document of: {', '.join(others)}",
            data={
                "document_id": document.id,
                "sha256": document.sha256,
                "other_enterprises": others,
            },
            subject=document.sha256,
        )
    return list(raised.values())


def evidence_unreadable(ctx: WarningContext, rules: WarningRules) -> list[RaisedWarning]:
    rule = rules.evidence_unreadable
    if not rule.enabled:
        return []
    warnings = []
    for document in ctx.documents:
        if document.readable:
            continue
        zh, en = _named(document.kind, document.refers_to)
        warnings.append(
            RaisedWarning(
                code="evidence_unreadable",
                severity=rule.severity.value,
                message=f"{zh}的内容无法按其类型（{document.media_type}）解析，请核验",
                message_en=f"The {en} does not parse as {document.media_type}; check it",
                data={"document_id": document.id, "media_type": document.media_type},
                subject=document.id,
            )
        )
    return warnings
