"""SharedProbe: concurrent and recent callers share one broker probe; none waits on a stale one."""

from __future__ import annotations

import asyncio

from shared.platform.messaging.shared_probe import SharedProbe


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class _Broker:
    def __init__(self) -> None:
        self.probes = 0
        self.reachable = True
        self.release = asyncio.Event()

    async def probe(self) -> bool:
        self.probes += 1
        await self.release.wait()
        return self.reachable


async def test_callers_during_a_probe_wait_for_that_one() -> None:
    broker, shared = _Broker(), SharedProbe(fresh_for=1.0, clock=_Clock())
    waiting = [asyncio.create_task(shared.answer(broker.probe)) for _ in range(50)]
    await asyncio.sleep(0)
    broker.release.set()
    assert await asyncio.gather(*waiting) == [True] * 50
    assert broker.probes == 1


async def test_an_answer_serves_until_it_is_older_than_fresh_for() -> None:
    clock, broker = _Clock(), _Broker()
    broker.release.set()
    shared = SharedProbe(fresh_for=1.0, clock=clock)
    assert await shared.answer(broker.probe)
    broker.reachable = False
    clock.now += 0.999
    assert await shared.answer(broker.probe)  # still the fresh answer
    assert broker.probes == 1
    clock.now += 0.001
    assert not await shared.answer(broker.probe)  # a new probe sees the outage
    assert broker.probes == 2


async def test_a_caller_that_gives_up_does_not_cancel_the_others_probe() -> None:
    broker, shared = _Broker(), SharedProbe(fresh_for=1.0, clock=_Clock())
    impatient = asyncio.create_task(shared.answer(broker.probe))
    patient = asyncio.create_task(shared.answer(broker.probe))
    await asyncio.sleep(0)
    impatient.cancel()
    broker.release.set()
    assert await patient
    assert broker.probes == 1
