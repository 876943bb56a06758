"""localdev.processes: a pid counts only while it is our server; stop and kill end it."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from localdev import processes

_SERVER = "import time; time.sleep(60)  # localdev-processes-test"


def _start(pid_file: Path) -> subprocess.Popen[bytes]:
    """Start the stand-in server and return once it runs its own command line (between fork
    and exec /proc/<pid>/cmdline is still pytest's), so that the marker checks below see it."""
    child = subprocess.Popen([sys.executable, "-c", _SERVER], start_new_session=True)
    pid_file.write_text(str(child.pid))
    deadline = time.monotonic() + 30
    while processes.running_pid(pid_file, [_SERVER.encode()]) is None:
        assert time.monotonic() < deadline, "the stand-in server never ran its command line"
        time.sleep(0.01)
    return child


def test_a_pid_counts_only_while_its_command_line_names_our_server(tmp_path: Path) -> None:
    pid_file = tmp_path / "server.pid"
    child = _start(pid_file)
    try:
        assert processes.running_pid(pid_file, [_SERVER.encode()]) == child.pid
        assert processes.running_pid(pid_file, [b"kafka.Kafka"]) is None  # a stranger
    finally:
        child.kill()
        child.wait()
    assert processes.running_pid(pid_file, [_SERVER.encode()]) is None


def test_our_own_child_counts_from_its_start_whatever_its_command_line_says(
    tmp_path: Path,
) -> None:
    """Right after Popen, before exec, the child's command line is still ours: a start-up
    check must not take it for a server that exited (a CI run failed on that)."""
    pid_file = tmp_path / "server.pid"
    child = _start(pid_file)
    try:
        assert processes.running_pid(pid_file, [b"not-in-its-command-line"], child) == child.pid
    finally:
        child.kill()
        child.wait()
    assert processes.running_pid(pid_file, [b"not-in-its-command-line"], child) is None


def test_stop_ends_the_server_and_forgets_its_pid_file(tmp_path: Path) -> None:
    pid_file = tmp_path / "server.pid"
    child = _start(pid_file)

    def pid_of() -> int | None:
        return processes.running_pid(pid_file, [_SERVER.encode()], child)

    processes.stop(pid_of, pid_file, timeout=10)
    assert child.poll() is not None
    assert not pid_file.exists()


def test_kill_ends_the_server_at_once(tmp_path: Path) -> None:
    pid_file = tmp_path / "server.pid"
    child = _start(pid_file)

    def pid_of() -> int | None:
        return processes.running_pid(pid_file, [_SERVER.encode()], child)

    processes.kill(pid_of, pid_file)
    assert child.wait(timeout=5) == -9
    assert not pid_file.exists()
