"""What a running service holds: settings, database, messaging, auth, policy, clock.

Built once at start-up by `shared.platform.web.app.create_service_app` (the composition root each
service's `bootstrap.py` calls); routers reach it as `request.app.state.runtime`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from shared.kernel.calendar.clock import Clock
from shared.platform.auth.tokens import TokenVerifier
from shared.platform.db.engine import Database
from shared.platform.messaging.consumer import EventConsumer
from shared.platform.messaging.relay import OutboxRelay
from shared.platform.messaging.unit_of_work import UnitOfWorkFactory
from shared.platform.observability.metrics import ServiceMetrics
from shared.platform.policies.store import PolicyStore
from shared.platform.settings import ServiceSettings

log = logging.getLogger("shared.platform.runtime")


@dataclass
class ServiceRuntime:
    name: str
    settings: ServiceSettings
    db: Database
    metrics: ServiceMetrics
    uow: UnitOfWorkFactory
    verifier: TokenVerifier
    policies: PolicyStore
    clock: Clock
    relay: OutboxRelay | None = None
    consumer: EventConsumer | None = None
    jobs: list[PeriodicJob] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)

    def handler_dependencies(self) -> dict[str, object]:
        """What an event handler may ask for by parameter name (`HandlerRegistry.wired`)."""
        return {"policies": self.policies, "clock": self.clock, "settings": self.settings}


@dataclass
class PeriodicJob:
    """A set-based job run every `interval` seconds in each replica (jobs must be idempotent)."""

    name: str
    interval: float
    run: Callable[[ServiceRuntime], Awaitable[object]]
    _task: asyncio.Task[None] | None = None
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)

    def start(self, runtime: ServiceRuntime) -> None:
        self._task = asyncio.create_task(self._loop(runtime), name=f"job-{self.name}")

    async def _loop(self, runtime: ServiceRuntime) -> None:
        while not self._stopping.is_set():
            try:
                await self.run(runtime)
            except Exception:
                log.exception("periodic job failed", extra={"job": self.name})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.interval)

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
