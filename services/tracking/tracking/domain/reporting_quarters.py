"""Which quarters a registration owes a report for (季度跟踪, domain.md §8).

An enterprise with a valid registration reports "each quarter that ends while its
registration is valid, starting with the quarter of registration". So a registration owes
the quarters from the one holding `registered_on` to the last one whose end is on or before
`valid_until`; a revocation takes away every quarter that ends after `revoked_on`.

Decision (revocation mid-quarter): the quarter holding `revoked_on` is cancelled unless
`revoked_on` is its last day. The registration did not last until that quarter ended, so the
quarter did not "end while the registration was valid"; the same rule that decides the
first quarters decides the last one.
"""

from __future__ import annotations

from datetime import date

from shared.kernel.calendar.quarters import Quarter, next_quarter, quarter_end, quarter_of


def quarter_index(q: Quarter) -> int:
    """Quarters numbered consecutively (2026 Q1 = 8104), so "the previous quarter" is − 1."""
    return q.year * 4 + q.quarter - 1


def quarter_from_index(index: int) -> Quarter:
    return Quarter(index // 4, index % 4 + 1)


def reporting_quarters(
    registered_on: date, valid_until: date, revoked_on: date | None = None
) -> list[Quarter]:
    """Quarters owed: from registration's quarter, each ending while the registration is valid."""
    if registered_on > valid_until:
        # A number issued already expired was never valid (contract § Round 2 "Year
        # close"): review refuses to issue one; should one arrive anyway, nothing is owed.
        return []
    last_day = valid_until if revoked_on is None else min(valid_until, revoked_on)
    quarters: list[Quarter] = []
    q = quarter_of(registered_on)
    while quarter_end(*q) <= last_day:
        quarters.append(q)
        q = next_quarter(*q)
    return quarters


def last_quarter_kept(revoked_on: date) -> Quarter:
    """The last quarter a registration revoked on `revoked_on` still owes (see module doc)."""
    q = quarter_of(revoked_on)
    if quarter_end(*q) <= revoked_on:
        return q
    return quarter_from_index(quarter_index(q) - 1)
