"""Who may apply and submit when (domain.md §5.1-5.2, §7 "Revocation"). Pure rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from intake.domain.errors import OutsideWindow, RegistrationRevokedThisYear, ResubmissionClosed
from shared.kernel.policy.model import Policy


@dataclass(frozen=True, slots=True)
class Revocation:
    """A revoked registration (撤销登记编号) as intake learnt it from review's event."""

    number: str
    registration_year: int
    revoked_on: date


def ensure_not_revoked(year: int, revocations: Iterable[Revocation]) -> None:
    """§7: "The enterprise may not apply again in the same year."

    Barred for evaluation year `year` when a registration of that year was revoked, or when
    any registration was revoked during calendar year `year` ("revoked this year").
    """
    for revocation in revocations:
        if revocation.registration_year == year or revocation.revoked_on.year == year:
            raise RegistrationRevokedThisYear(year, revocation.number)


def ensure_window_open(policy: Policy, today: date, *, resubmission: bool) -> None:
    """§5.1: a first submission only inside the year's window (the cut-off day included).

    A resubmission after a return is the correction the agency asked for during its review
    (§5.3), which usually runs past the cut-off; it is refused only before the window opens,
    so that a late return is not a rejection in disguise.
    """
    window = policy.window
    if window.is_open_on(today):
        return
    if resubmission and today > window.closes_on:
        # contract § Round 2 "Year close": until `resubmission_closes_on` (the day included).
        if today > policy.resubmission_closes_on:
            raise ResubmissionClosed(policy.year, policy.resubmission_closes_on)
        return
    raise OutsideWindow(policy.year, window.opens_on, window.closes_on)
