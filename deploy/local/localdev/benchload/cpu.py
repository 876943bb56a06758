"""Which process used the CPU during a phase: user+system seconds of each component (a
process and its children, e.g. the postmaster and its backends) per second of the phase,
i.e. the number of cores it kept busy. On a 2-core machine this shows what bounds a rate.

Approximate by design: a child that exits inside the window is not counted (the services'
database connections are pooled, so PostgreSQL's backends mostly live through a phase)."""

from __future__ import annotations

import contextlib
import time

import psutil  # type: ignore[import-untyped]  # no stubs pinned

Snapshot = tuple[float, dict[str, float]]


class CpuMeter:
    def __init__(self, roots: dict[str, int], alone: frozenset[str] = frozenset()) -> None:
        self._roots = roots  # component name → pid of its root process
        # Components counted without their children: this benchmark's own process is the
        # parent of the services it started, which are counted on their own.
        self._alone = alone

    def _seconds(self, name: str, pid: int) -> float:
        total = 0.0
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(pid)
            children = [] if name in self._alone else root.children(recursive=True)
            for process in (root, *children):
                with contextlib.suppress(psutil.Error):
                    times = process.cpu_times()
                    total += times.user + times.system
        return total

    def snapshot(self) -> Snapshot:
        return time.monotonic(), {
            name: self._seconds(name, pid) for name, pid in self._roots.items()
        }

    def cores_since(self, before: Snapshot) -> dict[str, float]:
        """Cores each component kept busy since `before`, busiest first."""
        now, seconds = self.snapshot()
        elapsed = now - before[0]
        if elapsed <= 0:
            return {}
        used = {name: (seconds[name] - before[1].get(name, 0.0)) / elapsed for name in seconds}
        return dict(sorted(used.items(), key=lambda item: -item[1]))


def describe(cores: dict[str, float]) -> str:
    return ", ".join(f"{name} {value:.2f}" for name, value in cores.items() if value >= 0.01)
