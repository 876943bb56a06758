"""Registration numbers (入库登记编号, domain.md §5.7) and their validity.

The number's format is the policy's (default `{year:04d}{region}A{serial:07d}`); serials
are unique and gap-free within (year, province) — the allocation itself is a locked counter
in the database, this module only turns a counter range into numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from review.domain.status import RegistrationStatus
from shared.kernel.policy.procedure_rules import RegistrationPolicy


def serial_range(last_serial_after: int, count: int) -> range:
    """The serials a counter moved from `last_serial_after - count` to `last_serial_after`
    hands out, in order."""
    return range(last_serial_after - count + 1, last_serial_after + 1)


def numbers_for(
    policy: RegistrationPolicy, year: int, regions: Sequence[str], first_serial: int
) -> list[tuple[int, str]]:
    """(serial, number) for enterprises in `regions`, serials consecutive from `first_serial`."""
    return [
        (serial, policy.format_number(year, region, serial))
        for serial, region in enumerate(regions, start=first_serial)
    ]


def status_on(*, registered_on: date, valid_until: date, revoked_on: date | None, on: date) -> str:
    """The registration's state on a given date, for the tax agency (contract § Round 2
    "Registration verification"): a revocation counts from `revoked_on`; a number is valid
    from its announcement (`registered_on`, 87号: valid from registration) to `valid_until`;
    before its announcement the enterprise held no registration yet (`not_registered`)."""
    if revoked_on is not None and on >= revoked_on:
        return RegistrationStatus.REVOKED.value
    if on < registered_on:
        return "not_registered"
    if on > valid_until:
        return RegistrationStatus.EXPIRED.value
    return RegistrationStatus.VALID.value


def verified_status(status: str, valid_until: date, today: date) -> RegistrationStatus:
    """What the tax agency is told: revoked wins; else expired after `valid_until`."""
    if status == RegistrationStatus.REVOKED:
        return RegistrationStatus.REVOKED
    if today > valid_until:
        return RegistrationStatus.EXPIRED
    return RegistrationStatus.VALID
