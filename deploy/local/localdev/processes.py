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
from dataclasses import dataclass
from pathlib import Path

PidOf = Callable[[], int | None]


def running_pid(
    pid_file: Path, markers: Iterable[bytes], child: subprocess.Popen[bytes] | None = None
) -> int | None:
    """The pid in `pid_file` if that process is alive (not a zombie) and is our server.

    `child`: our own Popen of it, if this process started it. Our child is ours by
    itself, whatever its command line says: between fork and exec it still shows ours
    (python's), and a busy machine stretches that window long enough for a start-up check
    to take a starting broker for one that had exited. Anyone else's pid counts only while
    its command line holds every marker (a stale pid file may name a stranger)."""
    try:
        pid = int(pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        pid = None
    if child is not None and pid == child.pid:
        return pid if child.poll() is None else None  # poll() also reaps it once it exits
    if pid is None:
        return None
    return pid if _is_ours(pid, markers) else None


def stop(pid_of: PidOf, pid_file: Path, timeout: float) -> None:
    """SIGTERM, then SIGKILL if it has not exited within `timeout` seconds."""
    process = _identify(pid_of)
    if process is not None:
        os.kill(process.pid, signal.SIGTERM)
        if not process.wait_exited(timeout):
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGKILL)
            process.wait_exited(10)
    pid_file.unlink(missing_ok=True)


def kill(pid_of: PidOf, pid_file: Path) -> None:
    """Stop abruptly (outage tests)."""
    process = _identify(pid_of)
    if process is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGKILL)
        process.wait_exited(10)
    pid_file.unlink(missing_ok=True)


@dataclass(frozen=True)
class _Process:
    """One process, told apart from a later one given the same pid by its start time."""

    pid: int
    started: str

    def wait_exited(self, timeout: float) -> bool:
        """Wait until it has exited, not merely until its command line is gone: an exiting
        process drops its command line (and so stops looking like our server) before it
        closes its files and sockets, and a restart on the same port must not race that."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            stat = _stat(self.pid)
            if stat is None or stat[0] == "Z" or stat[1] != self.started:
                return True
            time.sleep(0.05)
        return False


def _identify(pid_of: PidOf) -> _Process | None:
    pid = pid_of()
    stat = None if pid is None else _stat(pid)
    return None if pid is None or stat is None else _Process(pid, stat[1])


def _stat(pid: int) -> tuple[str, str] | None:
    """(state, start time) from /proc/<pid>/stat, or None once the pid is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, PermissionError, IndexError):
        return None
    return fields[0], fields[19]  # fields 3 and 22 of proc(5), counted after the name


def _is_ours(pid: int, markers: Iterable[bytes]) -> bool:
    stat = _stat(pid)
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return False
    return stat is not None and stat[0] != "Z" and all(marker in cmdline for marker in markers)
