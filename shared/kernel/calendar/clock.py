"""An injectable clock (architecture.md "Time").

Timestamps are stored in UTC, but "today" — the day a deadline is counted from or compared
with — is the date in China Standard Time. Between 00:00 and 08:00 Beijing time the UTC
date is still yesterday, so never take `.date()` of a UTC timestamp for a business date.
Domain code receives a `Clock` (or "now" as a parameter), so tests fix time instead of
sleeping.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

CHINA_TZ = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...

    def today(self) -> date:
        """The current date in China (Asia/Shanghai)."""
        ...


def today_in_china(now_utc: datetime) -> date:
    """The date in China at the instant `now_utc` (any aware datetime is accepted)."""
    _require_aware(now_utc)
    return now_utc.astimezone(CHINA_TZ).date()


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return today_in_china(self.now())


class FixedClock:
    """A clock that shows a set instant until a test moves it."""

    def __init__(self, at: datetime) -> None:
        self._at = _as_utc(at)

    def now(self) -> datetime:
        return self._at

    def today(self) -> date:
        return today_in_china(self._at)

    def set(self, at: datetime) -> None:
        self._at = _as_utc(at)

    def advance(self, delta: timedelta) -> None:
        self._at += delta


class ShiftedClock:
    """Another clock moved by a fixed offset. For end-to-end stacks only (a service that must
    see "today" inside a publicity period another service already sees as ended); the
    settings refuse it outside local/test."""

    def __init__(self, base: Clock, offset: timedelta) -> None:
        self._base = base
        self._offset = offset

    def now(self) -> datetime:
        return self._base.now() + self._offset

    def today(self) -> date:
        return today_in_china(self.now())


def _as_utc(at: datetime) -> datetime:
    _require_aware(at)
    return at.astimezone(UTC)


def _require_aware(at: datetime) -> None:
    # A naive datetime could be UTC or Beijing time; guessing shifts dates by 8 hours.
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{at!r} has no timezone; pass an aware datetime (UTC)")
