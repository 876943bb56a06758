"""The local stack's ports stay out of the range outgoing connections are given."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from localdev import ports
from localdev.ports import ephemeral_start, free_port


def test_a_port_is_below_the_ephemeral_range_and_never_given_twice() -> None:
    ports = [free_port() for _ in range(50)]
    assert all(20000 <= p < ephemeral_start() for p in ports)
    assert len(set(ports)) == len(ports)


def test_a_port_someone_listens_on_is_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        taken = listener.getsockname()[1]
        candidates = iter([taken, taken])  # the listener's port drawn first, twice
        monkeypatch.setattr(ports, "ephemeral_start", lambda: 65536)
        monkeypatch.setattr(ports.random, "randint", lambda lo, hi: next(candidates, 21000))
        assert ports.free_port() != taken


def test_the_range_is_read_from_the_kernel_with_a_default(tmp_path: Path) -> None:
    proc = tmp_path / "ip_local_port_range"
    proc.write_text("40000\t60999\n")
    assert ephemeral_start(proc) == 40000
    assert ephemeral_start(tmp_path / "absent") == 32768
