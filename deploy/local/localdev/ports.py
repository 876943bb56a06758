"""Ports for the servers the local stack starts (PostgreSQL, Kafka, S3Proxy, the services).

A port from `bind(("127.0.0.1", 0))` comes from the kernel's ephemeral range, the same range
outgoing connections take their local port from. Between our probe releasing it and the server
binding it, any client socket of the test run (hundreds of Kafka and HTTP connections) can be
given that port, and the server then dies at start-up with "Address already in use" — CI saw
Kafka exit that way. Ports below the ephemeral range are never handed to outgoing connections,
so only another listener can take one, and the probe checks that.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

_LOWEST = 20000
_FALLBACK_EPHEMERAL_START = 32768  # Linux's default when /proc does not tell
_given: set[int] = set()  # never hand the same port out twice in one process


def ephemeral_start(proc_file: Path = Path("/proc/sys/net/ipv4/ip_local_port_range")) -> int:
    try:
        return int(proc_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return _FALLBACK_EPHEMERAL_START


def free_port() -> int:
    """A port below the ephemeral range that nobody listens on now and that this process has
    not handed out before."""
    high = ephemeral_start() - 1
    if high <= _LOWEST:  # an unusual range: fall back to the kernel's choice
        return _kernel_port()
    for _ in range(1000):
        port = random.randint(_LOWEST, high)
        if port not in _given and _bindable(port):
            _given.add(port)
            return port
    return _kernel_port()


def _bindable(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _kernel_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    _given.add(port)
    return port
