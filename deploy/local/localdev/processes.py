"""The server processes of the local stack (Kafka, S3Proxy) that we start ourselves, in their
own session, and remember by a pid file: find them again, stop them politely, kill them.

A stale pid file may name a pid the system has since given to someone else: a pid counts
only while its command line still names our server, so we never signal a stranger.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterable
from pathlib import Path

PidOf = Callable[[], int | None]


def running_pid(
    pid_file: Path, markers: Iterable[bytes], child: subprocess.Popen[bytes] | None = None
) -> int | None:
    """The pid in `pid_file` if that process is alive (not a zombie) and its command line
    holds every marker. `child`: our own Popen of it, if this process started it."""
    if child is not None and child.poll() is not None:
        return None  # our child exited (and is reaped, not a zombie)
    try:
        pid = int(pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return pid if _is_ours(pid, markers) else None


def stop(pid_of: PidOf, pid_file: Path, timeout: float) -> None:
    """SIGTERM, then SIGKILL if it has not exited within `timeout` seconds."""
    pid = pid_of()
    if pid is not None:
        os.kill(pid, signal.SIGTERM)
        if not wait_gone(pid_of, timeout):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            wait_gone(pid_of, 10)
    pid_file.unlink(missing_ok=True)


def kill(pid_of: PidOf, pid_file: Path) -> None:
    """Stop abruptly (outage tests)."""
    pid = pid_of()
    if pid is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        wait_gone(pid_of, 10)
    pid_file.unlink(missing_ok=True)


def wait_gone(pid_of: PidOf, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pid_of() is None:
            return True
        time.sleep(0.1)
    return False


def _is_ours(pid: int, markers: Iterable[bytes]) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (FileNotFoundError, ProcessLookupError, PermissionError, IndexError):
        return False
    return state != "Z" and all(marker in cmdline for marker in markers)
