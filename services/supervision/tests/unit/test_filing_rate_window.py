"""The public filing limit is a sliding window: the quota frees up as filings age out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from supervision.service_layer.rate_limit import bucket_start, seconds_until_free

HOUR = 3600
NOW = datetime(2026, 5, 4, 10, 30, 0, tzinfo=UTC)


def test_under_the_limit_there_is_no_wait() -> None:
    assert seconds_until_free([(bucket_start(NOW, HOUR), 19)], NOW, HOUR, 20) is None


def test_at_the_limit_the_wait_ends_when_the_oldest_bucket_leaves_the_window() -> None:
    ten_min_ago = bucket_start(NOW - timedelta(minutes=10), HOUR)
    buckets = [(ten_min_ago, 5), (bucket_start(NOW, HOUR), 15)]
    wait = seconds_until_free(buckets, NOW, HOUR, 20)
    # Not "the rest of the fixed hour": about 50 minutes (plus at most one 5-minute bucket).
    assert wait is not None
    assert 50 * 60 <= wait <= 55 * 60


def test_the_wait_skips_buckets_that_do_not_free_enough() -> None:
    buckets = [
        (bucket_start(NOW - timedelta(minutes=50), HOUR), 1),
        (bucket_start(NOW - timedelta(minutes=20), HOUR), 10),
        (bucket_start(NOW, HOUR), 10),
    ]
    wait = seconds_until_free(buckets, NOW, HOUR, 20)
    # Dropping the 1 leaves 20 (still full); dropping the 10 of 20 minutes ago frees room.
    assert wait is not None
    assert 40 * 60 <= wait <= 45 * 60
