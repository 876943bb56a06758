"""The load benchmark's percentile helper (nearest rank, always a real sample)."""

from __future__ import annotations

import pytest

from localdev.benchload.stats import Summary, percentile, rate


def test_nearest_rank_percentiles_of_one_to_one_hundred() -> None:
    values = [float(v) for v in range(100, 0, -1)]  # unsorted on purpose
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile(values, 100) == 100.0
    assert percentile(values, 1) == 1.0


def test_a_small_sample_reports_its_worst_at_p99() -> None:
    values = [0.01, 0.02, 0.03, 5.0]
    assert percentile(values, 99) == 5.0
    assert percentile(values, 50) == 0.02
    summary = Summary.of(values)
    assert summary is not None
    assert (summary.count, summary.p50, summary.p99, summary.worst) == (4, 0.02, 5.0, 5.0)


def test_no_samples_and_bad_percentiles_are_refused() -> None:
    assert Summary.of([]) is None
    with pytest.raises(ValueError, match="no samples"):
        percentile([], 50)
    with pytest.raises(ValueError, match="outside"):
        percentile([1.0], 0)
    with pytest.raises(ValueError, match="outside"):
        percentile([1.0], 101)


def test_rate_of_an_empty_window_is_zero() -> None:
    assert rate(10, 2.0) == 5.0
    assert rate(10, 0.0) == 0.0


def test_the_cpu_meter_sees_this_process_working() -> None:
    import os

    from localdev.benchload.cpu import CpuMeter, describe

    meter = CpuMeter({"me": os.getpid(), "gone": 2**22 + 7})  # a pid that cannot exist
    before = meter.snapshot()
    sum(i * i for i in range(2_000_000))  # some real CPU work
    cores = meter.cores_since(before)
    assert cores["me"] > 0.05
    assert cores["gone"] == 0.0
    assert describe(cores).startswith("me ")
