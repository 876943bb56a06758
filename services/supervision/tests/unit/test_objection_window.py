"""The objection window (domain.md §5.5): inside the publicity period, both ends included."""

from __future__ import annotations

from datetime import date

import pytest

from shared.kernel.calendar import WorkingDayCalendar
from shared.kernel.policy import shipped_policy
from supervision.domain.errors import ObjectionWindowClosed, ObjectionWindowNotOpen
from supervision.domain.objection_window import PublicityPeriod

# A batch as review publishes it with the 2026 defaults: started Thursday 2026-11-26,
# 10 working days counted from the next working day → ends Thursday 2026-12-10.
PERIOD = PublicityPeriod(date(2026, 11, 26), date(2026, 12, 10))


def test_the_first_day_of_publicity_admits_objections() -> None:
    PERIOD.check_objection_on(date(2026, 11, 26))


def test_the_last_day_of_publicity_admits_objections() -> None:
    PERIOD.check_objection_on(date(2026, 12, 10))


def test_the_day_after_the_period_is_late() -> None:
    with pytest.raises(ObjectionWindowClosed) as refused:
        PERIOD.check_objection_on(date(2026, 12, 11))
    assert refused.value.code == "objection_window_closed"
    assert "2026-12-10" in refused.value.message
    assert "late" in refused.value.message_en


def test_the_day_before_the_period_is_too_early() -> None:
    with pytest.raises(ObjectionWindowNotOpen):
        PERIOD.check_objection_on(date(2026, 11, 25))


def test_a_weekend_inside_the_period_admits_objections() -> None:
    PERIOD.check_objection_on(date(2026, 11, 28))  # Saturday


def _period_as_review_computes_it(starts_on: date) -> PublicityPeriod:
    policy = shipped_policy(2026)
    assert policy.publicity.count_from.value == "next_working_day"
    ends = WorkingDayCalendar().add_working_days(starts_on, policy.publicity.working_days)
    return PublicityPeriod(starts_on, ends.value)


def test_a_period_across_national_day_runs_until_its_tenth_working_day() -> None:
    # Tuesday 2026-09-29; 1-7 October are holidays and Saturday 10 October is a working day.
    period = _period_as_review_computes_it(date(2026, 9, 29))
    assert period.ends_on == date(2026, 10, 19)
    # A holiday inside the period admits objections (the public files online).
    period.check_objection_on(date(2026, 10, 3))
    # Ten weekdays would have ended on 2026-10-13; the official calendar runs on.
    period.check_objection_on(date(2026, 10, 14))
    period.check_objection_on(date(2026, 10, 19))
    with pytest.raises(ObjectionWindowClosed):
        period.check_objection_on(date(2026, 10, 20))


@pytest.mark.parametrize(
    ("day", "admitted"),
    [
        (date(2026, 9, 28), False),
        (date(2026, 9, 29), True),
        (date(2026, 10, 1), True),
        (date(2026, 10, 10), True),
        (date(2026, 10, 19), True),
        (date(2026, 10, 20), False),
    ],
)
def test_admits_matches_the_check(day: date, admitted: bool) -> None:
    period = PublicityPeriod(date(2026, 9, 29), date(2026, 10, 19))
    assert period.admits(day) is admitted
