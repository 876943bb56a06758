"""What a warning rule sees and what it returns (pure data, no I/O).

The service layer gathers the facts a rule needs — the form snapshot, the recomputed and the
claimed self-evaluation, the enterprise's credit records, the other enterprises claiming the
same IP or contact this year (indexed queries), the previous year's form — into one
`WarningContext`; every rule is a function `(context, rules) -> list[RaisedWarning]`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shared.kernel.evaluation.facts import CreditRecord
from shared.kernel.evaluation.form import InformationForm
from shared.kernel.evaluation.result import SelfEvaluation
from shared.kernel.events.payloads.intake import EvidenceDocument


@dataclass(frozen=True, slots=True)
class RaisedWarning:
    """One automatic warning (预警): code, severity, bilingual message and its data.

    `subject` tells two warnings of one code apart on the same case (the IP number, the
    credit entry, the contact kind); it is "" for rules that fire at most once.
    """

    code: str
    severity: str  # block | warn
    message: str
    message_en: str
    data: Mapping[str, Any]
    subject: str = ""


# Archive entries that are not art. 6(4) facts by themselves: a substantiated complaint or
# report (its measures, if any, are recorded on their own), and a revocation on a ground
# that is not one either (a failed spot check, no longer eligible) — the enterprise may
# apply again the next year (domain.md §7). A revocation for fraud, misconduct, an incident
# or a listing is one.
_NOT_BARRING_KINDS = frozenset({"substantiated_case"})
_BARRING_REVOCATION_GROUNDS = frozenset(
    {"serious_fraud", "research_misconduct", "major_incident", "credit_listing"}
)


@dataclass(frozen=True, slots=True)
class CreditEntry:
    """A credit archive entry as review keeps it (supervision's `credit.recorded`)."""

    key: str
    kind: str
    source: str
    starts_on: date
    ends_on: date | None = None
    detail: str | None = None  # safety | quality | environment; a revocation's ground

    @property
    def bars(self) -> bool:
        """Whether the entry is a listing, an incident or misconduct (art. 6(4), §6)."""
        if self.kind == "revocation":
            return self.detail in _BARRING_REVOCATION_GROUNDS
        return self.kind not in _NOT_BARRING_KINDS

    def as_record(self) -> CreditRecord:
        # Supervision files an incident as `major_incident` with its detail; the engine
        # names it by the detail (重大安全事故 / 重大质量事故 / 严重环境违法).
        kind = self.detail if self.kind == "major_incident" and self.detail else self.kind
        return CreditRecord(kind=kind, starts_on=self.starts_on, ends_on=self.ends_on)


@dataclass(frozen=True, slots=True)
class ContactUsage:
    """How many enterprises (this one included) use a contact value in the year."""

    kind: str  # phone | email
    value: str
    enterprises: int


@dataclass(frozen=True)
class WarningContext:
    form: InformationForm
    recomputed: SelfEvaluation
    claimed: SelfEvaluation
    uscc_checksum_ok: bool
    credit_lookback_years: int = 1
    credit_entries: tuple[CreditEntry, ...] = ()
    # IP number (normalised) → the other enterprises claiming it in the same year.
    ip_claimed_elsewhere: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    contact_usage: tuple[ContactUsage, ...] = ()
    previous_form: InformationForm | None = None
    # The submitted round's evidence documents (metadata only).
    documents: tuple[EvidenceDocument, ...] = ()
