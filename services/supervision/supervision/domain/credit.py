"""The credit archive (诚信档案, domain.md §7): entries with a kind, a source and an interval.

An entry is never erased. A removal from a list closes the entry's interval (sets
`ends_on`); history stays readable. Entries are identified within their source by a
natural reference (e.g. the list and its start date), so an event published twice records
one entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from supervision.domain.errors import InvalidCreditInterval


class CreditKind(StrEnum):
    ABNORMAL_OPERATION = "abnormal_operation"  # 经营异常名录
    SERIOUS_DISHONESTY = "serious_dishonesty"  # 严重违法失信名单
    MAJOR_TAX_VIOLATION = "major_tax_violation"  # 重大税收违法 (detail: the tax kind)
    MAJOR_INCIDENT = "major_incident"  # 重大安全/质量/环境事故 (detail: safety|quality|environment)
    RESEARCH_MISCONDUCT = "research_misconduct"  # 科研严重失信
    SUBSTANTIATED_CASE = "substantiated_case"  # 查实的投诉/举报/异议 (detail: case kind)
    REVOCATION = "revocation"  # 撤销登记编号 (detail: ground)


class CreditSource(StrEnum):
    MARKET_SUPERVISION = "market_supervision"  # 市场监管 (ext.market-supervision.listing.v1)
    TAX = "tax"  # 税务 (ext.tax.credit.v1)
    INCIDENT_AUTHORITY = "incident_authority"  # 应急/质量/环境/科研诚信主管部门 (ext.incident.v1)
    SUPERVISION = "supervision"  # this service: concluded cases and revocations


# Which entries start a joint-punishment revocation proposal, and on which ground
# (domain.md §7 "Joint punishment": a listing, or a recorded major incident / misconduct).
JOINT_PUNISHMENT_GROUNDS: dict[CreditKind, str] = {
    CreditKind.ABNORMAL_OPERATION: "credit_listing",
    CreditKind.SERIOUS_DISHONESTY: "credit_listing",
    CreditKind.MAJOR_INCIDENT: "major_incident",
    CreditKind.RESEARCH_MISCONDUCT: "research_misconduct",
}

# Facts of one day (an incident, a tax decision, a concluded case, a revocation), unlike a
# listing, which runs until its removal. Their interval is that day: §2.4 asks whether one
# happened "in the previous accounting year and the current year", so an open interval
# would read as "still listed" and count against every later year, for ever.
ONE_DAY_KINDS: frozenset[CreditKind] = frozenset(
    {
        CreditKind.MAJOR_TAX_VIOLATION,
        CreditKind.MAJOR_INCIDENT,
        CreditKind.RESEARCH_MISCONDUCT,
        CreditKind.SUBSTANTIATED_CASE,
        CreditKind.REVOCATION,
    }
)


@dataclass(frozen=True, slots=True)
class Interval:
    """[starts_on, ends_on], both days included; `ends_on` None = still open."""

    starts_on: date
    ends_on: date | None = None

    def __post_init__(self) -> None:
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise InvalidCreditInterval(
                f"ends_on {self.ends_on} is before starts_on {self.starts_on}"
            )

    @property
    def is_open(self) -> bool:
        return self.ends_on is None

    def closed_on(self, day: date) -> Interval:
        """The interval ended on `day`. An already closed interval keeps its end: history
        is not rewritten by a repeated or late removal."""
        if self.ends_on is not None:
            return self
        return Interval(self.starts_on, day)

    def overlaps(self, first: date, last: date) -> bool:
        """Whether any day of [first, last] lies in the interval."""
        return self.starts_on <= last and (self.ends_on is None or self.ends_on >= first)

    def active_on(self, day: date) -> bool:
        return self.overlaps(day, day)


def entry_interval(kind: CreditKind, starts_on: date, ends_on: date | None) -> Interval:
    """The interval an entry of `kind` covers: its day for a one-day fact, else as given."""
    if kind in ONE_DAY_KINDS:
        return Interval(starts_on, starts_on)
    return Interval(starts_on, ends_on)


def lookback_span(registration_year: int, lookback_years: int) -> tuple[date, date]:
    """The years whose record decides eligibility (§2.4): the previous accounting year(s)
    and the evaluation year itself — by default 1 January of year − 1 to 31 December."""
    return date(registration_year - lookback_years, 1, 1), date(registration_year, 12, 31)


def listing_reference(list_name: str, starts_on: date) -> str:
    """The natural key of a listing within market supervision: which list, since when."""
    return f"{list_name}:{starts_on.isoformat()}"
