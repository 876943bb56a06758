"""Who may submit when: the year's window and the revocation bar (domain.md §5, §7)."""

from __future__ import annotations

from datetime import date

import pytest

from intake.domain.applying import Revocation, ensure_not_revoked, ensure_window_open
from intake.domain.errors import OutsideWindow, RegistrationRevokedThisYear, ResubmissionClosed
from shared.kernel.policy import Window, shipped_policy
from shared.kernel.policy.model import Policy


@pytest.fixture(scope="module")
def policy() -> Policy:
    return shipped_policy(2026).model_copy(
        update={"window": Window(opens_on=date(2026, 6, 27), closes_on=date(2026, 9, 30))}
    )


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        (date(2026, 6, 26), False),  # the day before it opens
        (date(2026, 6, 27), True),  # the open date itself
        (date(2026, 9, 30), True),  # the cut-off date itself
        (date(2026, 10, 1), False),  # the day after the cut-off
    ],
)
def test_first_submission_only_inside_the_window(policy: Policy, day: date, open_: bool) -> None:
    if open_:
        ensure_window_open(policy, day, resubmission=False)
    else:
        with pytest.raises(OutsideWindow) as refused:
            ensure_window_open(policy, day, resubmission=False)
        assert "2026-06-27" in refused.value.message
        assert "2026-09-30" in refused.value.message_en


def test_resubmission_after_a_return_is_accepted_after_the_cut_off(policy: Policy) -> None:
    ensure_window_open(policy, date(2026, 11, 2), resubmission=True)


def test_resubmission_is_still_refused_before_the_window_opens(policy: Policy) -> None:
    with pytest.raises(OutsideWindow):
        ensure_window_open(policy, date(2026, 6, 1), resubmission=True)


def test_revoked_registration_of_the_year_bars_a_new_application() -> None:
    revoked = Revocation("2026150105A0000001", registration_year=2026, revoked_on=date(2026, 11, 1))
    with pytest.raises(RegistrationRevokedThisYear) as refused:
        ensure_not_revoked(2026, [revoked])
    assert "2026150105A0000001" in refused.value.message


def test_revocation_during_the_calendar_year_bars_that_year() -> None:
    revoked = Revocation("2025150105A0000001", registration_year=2025, revoked_on=date(2026, 1, 20))
    with pytest.raises(RegistrationRevokedThisYear):
        ensure_not_revoked(2026, [revoked])


def test_an_older_revocation_does_not_bar_a_later_year() -> None:
    revoked = Revocation("2024150105A0000001", registration_year=2024, revoked_on=date(2024, 12, 1))
    ensure_not_revoked(2026, [revoked])


def test_resubmission_is_refused_after_resubmission_closes_on(policy: Policy) -> None:
    # contract § Round 2 "Year close": 20 working days after the cut-off of 30 Sep 2026,
    # counted over the National Day holiday (1-7 Oct off, Sat 10 Oct worked) → 3 Nov.
    assert policy.resubmission_closes_on == date(2026, 11, 3)
    ensure_window_open(policy, date(2026, 11, 3), resubmission=True)
    with pytest.raises(ResubmissionClosed) as refused:
        ensure_window_open(policy, date(2026, 11, 4), resubmission=True)
    assert "2026-11-03" in refused.value.message
    assert "2026-11-03" in refused.value.message_en


def test_year_close_dates_default_and_round_trip() -> None:
    base = shipped_policy(2026).to_document()
    base["window"].pop("year_closes_on")
    base["window"].pop("resubmission_closes_on")
    filled = Policy.model_validate(base)
    assert filled.window.year_closes_on == date(2026, 12, 31)
    assert filled.window.resubmission_closes_on == date(2027, 1, 28)
    assert Policy.model_validate(filled.to_document()) == filled


def test_year_close_dates_out_of_order_are_refused() -> None:
    document = shipped_policy(2026).to_document()
    document["window"]["resubmission_closes_on"] = "2026-12-30"  # before closes_on
    with pytest.raises(ValueError, match="resubmission_closes_on"):
        Policy.model_validate(document)
