"""What the system already knows about an enterprise, beyond its own declarations.

The engine is pure: the caller (intake, review) looks the facts up — credit listings and
incidents from the credit archive (domain.md §7) — and passes them in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Known record kinds with their names; an unknown kind is shown as its code.
CREDIT_RECORD_NAMES: dict[str, tuple[str, str]] = {
    "abnormal_operation": ("经营异常名录", "abnormal-operation list"),
    "serious_dishonesty": ("严重违法失信名单", "serious-dishonesty list"),
    "major_tax_violation": ("重大税收违法", "major tax violation"),
    "research_misconduct": ("科研严重失信", "serious research misconduct"),
    "safety": ("重大安全事故", "major safety accident"),
    "quality": ("重大质量事故", "major quality accident"),
    "environment": ("严重环境违法", "serious environmental violation"),
}


@dataclass(frozen=True, slots=True)
class CreditRecord:
    """A listing with its period, or an incident (`starts_on` = `ends_on` = the day)."""

    kind: str
    starts_on: date
    ends_on: date | None = None  # None: still listed

    def overlaps(self, first: date, last: date) -> bool:
        return self.starts_on <= last and (self.ends_on is None or self.ends_on >= first)

    @property
    def names(self) -> tuple[str, str]:
        return CREDIT_RECORD_NAMES.get(self.kind, (self.kind, self.kind))


@dataclass(frozen=True, slots=True)
class KnownFacts:
    credit_records: tuple[CreditRecord, ...] = ()


NO_KNOWN_FACTS = KnownFacts()
