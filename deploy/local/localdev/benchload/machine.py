"""A description of the machine a benchmark ran on, taken at its start."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def describe() -> dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = "unknown"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
            break
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    return {
        "CPUs (nproc)": str(os.cpu_count()),
        "CPU model": cpu,
        "memory": memory,
        "load average at start (1, 5, 15 min)": load,
        "kernel": platform.release(),
        "python": platform.python_version(),
    }
