"""Percentiles and rates of measured samples (pure; unit-tested in deploy/local/tests)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile: the smallest sample with at least q% of the samples at
    or below it (no interpolation, so it is always a latency that really happened)."""
    if not values:
        raise ValueError("no samples")
    if not 0 < q <= 100:
        raise ValueError(f"percentile {q} outside (0, 100]")
    ordered = sorted(values)
    rank = math.ceil(q / 100 * len(ordered))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Summary:
    """Count, median, 99th percentile and worst of a set of latencies, in seconds."""

    count: int
    p50: float
    p99: float
    worst: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary | None:
        if not values:
            return None
        return cls(len(values), percentile(values, 50), percentile(values, 99), max(values))

    def ms(self) -> str:
        return f"p50 {self.p50 * 1000:.0f} ms, p99 {self.p99 * 1000:.0f} ms (n={self.count})"


def rate(count: int, seconds: float) -> float:
    """Events per second; 0 for an empty or instantaneous window."""
    return count / seconds if seconds > 0 else 0.0
