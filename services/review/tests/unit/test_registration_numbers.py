"""Registration numbers (入库登记编号): the policy's format and consecutive serials."""

from __future__ import annotations

from datetime import date

from review.domain.registration import numbers_for, serial_range, status_on, verified_status
from review.domain.status import RegistrationStatus
from shared.kernel.policy.model import Policy
from shared.kernel.policy.procedure_rules import RegistrationPolicy, RegistrationValidity


def test_default_format_is_year_region_a_and_seven_digit_serial(policy: Policy) -> None:
    assert numbers_for(policy.registration, 2026, ["150105"], 1) == [(1, "2026150105A0000001")]


def test_serials_continue_from_the_first_one_in_order(policy: Policy) -> None:
    numbered = numbers_for(policy.registration, 2026, ["150105", "150781", "152501"], 41)
    assert numbered == [
        (41, "2026150105A0000041"),
        (42, "2026150781A0000042"),
        (43, "2026152501A0000043"),
    ]


def test_a_counter_moved_by_n_hands_out_the_n_serials_before_it() -> None:
    assert list(serial_range(last_serial_after=45, count=5)) == [41, 42, 43, 44, 45]
    assert list(serial_range(last_serial_after=1, count=1)) == [1]


def test_another_format_from_the_policy_is_used_as_given() -> None:
    rule = RegistrationPolicy(
        number_format="NM{year}-{serial:05d}", validity=RegistrationValidity.END_OF_EVALUATION_YEAR
    )
    assert numbers_for(rule, 2026, ["150105"], 7) == [(7, "NM2026-00007")]


def test_a_registration_is_valid_until_the_end_of_the_evaluation_year(policy: Policy) -> None:
    assert policy.registration.valid_until_for(2026) == date(2026, 12, 31)


def test_verification_status_valid_expired_revoked() -> None:
    until = date(2026, 12, 31)
    assert verified_status("valid", until, until) is RegistrationStatus.VALID
    assert verified_status("valid", until, date(2027, 1, 1)) is RegistrationStatus.EXPIRED
    assert verified_status("revoked", until, date(2026, 6, 1)) is RegistrationStatus.REVOKED
    # A revoked number stays revoked after it would have expired.
    assert verified_status("revoked", until, date(2027, 6, 1)) is RegistrationStatus.REVOKED


def test_status_on_a_date_follows_registration_validity_and_revocation() -> None:
    # contract § Round 2 "Registration verification": state on `on`, revocation from revoked_on.
    kept = {"registered_on": date(2026, 7, 10), "valid_until": date(2026, 12, 31)}
    assert status_on(**kept, revoked_on=None, on=date(2026, 7, 9)) == "not_registered"
    assert status_on(**kept, revoked_on=None, on=date(2026, 7, 10)) == "valid"
    assert status_on(**kept, revoked_on=None, on=date(2026, 12, 31)) == "valid"
    # The tax settlement of 2026 in May 2027: registered for the year, the number expired.
    assert status_on(**kept, revoked_on=None, on=date(2027, 5, 20)) == "expired"
    revoked = {**kept, "revoked_on": date(2026, 9, 1)}
    assert status_on(**revoked, on=date(2026, 8, 31)) == "valid"
    assert status_on(**revoked, on=date(2026, 9, 1)) == "revoked"
    assert status_on(**revoked, on=date(2027, 5, 20)) == "revoked"
