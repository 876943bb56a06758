"""One answer to "is the broker there?" for everyone asking at about the same time.

`/healthz` reports whether Kafka answers. A probe is a real metadata round trip, and the
metadata of every topic costs the broker and us a few milliseconds of decoding: under load
(a load balancer, a dashboard and a benchmark all polling) one probe per request made
`/healthz` the most expensive route of a service. Callers within `fresh_for` seconds of a
probe share its answer, and callers while one runs wait for that one, so the answer is never
older than `fresh_for` and the broker sees at most one probe per interval per process.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

Probe = Callable[[], Awaitable[bool]]


class SharedProbe:
    def __init__(self, fresh_for: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._fresh_for = fresh_for
        self._clock = clock
        self._answer: tuple[float, bool] | None = None  # (taken at, reachable)
        self._running: asyncio.Task[bool] | None = None

    async def answer(self, probe: Probe) -> bool:
        if self._answer is not None and self._clock() - self._answer[0] < self._fresh_for:
            return self._answer[1]
        if self._running is None:
            self._running = asyncio.create_task(self._take(probe), name="broker-probe")
        # Shielded: a caller that gives up (a client hanging up) does not cancel the probe
        # the others are waiting for.
        return await asyncio.shield(self._running)

    async def _take(self, probe: Probe) -> bool:
        try:
            reachable = await probe()
            self._answer = (self._clock(), reachable)
            return reachable
        finally:
            self._running = None
