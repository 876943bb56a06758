"""Reading a page cursor's values back (`keyset(..., convert=[...])`).

A cursor comes back from the client, so it may be forged. Each value is bounded like the
column it is compared with: a ValueError here is the 422 `invalid_cursor`, whereas a value
PostgreSQL cannot hold (an id beyond bigint, a timestamp beyond year 9999 in UTC) would
reach the database and fail there as a 500.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

_BIGINT_MIN, _BIGINT_MAX = -(2**63), 2**63 - 1


def bigint(value: Any) -> int:
    """An id (BIGINT column) or a tier's rank."""
    number = int(value)
    if not _BIGINT_MIN <= number <= _BIGINT_MAX:
        raise ValueError(f"cursor value {number} out of range")
    return number


def timestamp(value: Any) -> datetime:
    """A `timestamptz`, as the cursor wrote it: with its offset, within datetime's range."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("cursor timestamp without offset")
    try:
        return moment.astimezone(UTC)
    except OverflowError as exc:  # e.g. 9999-12-31T23:00-05:00 is past year 9999 in UTC
        raise ValueError("cursor timestamp out of range") from exc
