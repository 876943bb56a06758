"""The injectable clock: UTC instants, business dates in China."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from shared.kernel.calendar import CHINA_TZ, Clock, FixedClock, SystemClock, today_in_china


def test_today_in_china_turns_over_at_16_00_utc() -> None:
    # 00:00 in Beijing on 1 Oct is 16:00 UTC on 30 Sep.
    assert today_in_china(datetime(2024, 9, 30, 15, 59, 59, tzinfo=UTC)) == date(2024, 9, 30)
    assert today_in_china(datetime(2024, 9, 30, 16, 0, tzinfo=UTC)) == date(2024, 10, 1)


def test_today_in_china_accepts_any_aware_datetime() -> None:
    new_york = timezone(timedelta(hours=-4))
    assert today_in_china(datetime(2024, 9, 30, 12, 30, tzinfo=new_york)) == date(2024, 10, 1)


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2024, 9, 30, 16, 0)  # noqa: DTZ001
    with pytest.raises(ValueError, match="no timezone"):
        today_in_china(naive)
    with pytest.raises(ValueError, match="no timezone"):
        FixedClock(naive)


def _business_date(clock: Clock) -> date:
    # Stands for domain code that receives the clock.
    return clock.today()


def test_fixed_clock_keeps_utc_and_moves_only_when_told() -> None:
    beijing_evening = datetime(2024, 9, 30, 23, 30, tzinfo=CHINA_TZ)
    clock = FixedClock(beijing_evening)
    assert clock.now() == datetime(2024, 9, 30, 15, 30, tzinfo=UTC)
    assert clock.now().utcoffset() == timedelta(0)
    assert clock.now() == clock.now()
    assert _business_date(clock) == date(2024, 9, 30)

    clock.advance(timedelta(minutes=30))
    assert clock.now() == datetime(2024, 9, 30, 16, 0, tzinfo=UTC)
    assert _business_date(clock) == date(2024, 10, 1)

    clock.set(datetime(2027, 1, 1, tzinfo=UTC))
    assert clock.today() == date(2027, 1, 1)


def test_system_clock_is_aware_utc_and_dates_in_china() -> None:
    clock = SystemClock()
    before = datetime.now(UTC)
    now = clock.now()
    after = datetime.now(UTC)
    assert now.utcoffset() == timedelta(0)
    assert before <= now <= after
    assert clock.today() in {today_in_china(before), today_in_china(datetime.now(UTC))}
