"""Event type → handler, with the handlers' dependencies injected by parameter name.

One way to wire handlers (like cosmicpython's `bootstrap.inject_dependencies`): a service
lists `{PayloadClass: function}`; a function takes the unit of work and the event (and its
envelope), plus any of the runtime's dependencies it names as keyword parameters
(`policies`, `clock`, ...). The names are matched once, at start-up; a parameter no
dependency answers stops the service there, not at the first event.

A handler whose effect can be set-based opts into the batch form with `in_batches(fn)`:
`fn(uow, received, **deps)` gets a run of consecutive events of its type (offset order,
one partition) and applies them in one go; alone (a replay, a poison search) it gets a
run of one.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from shared.kernel.events.envelope import CloudEvent, EventPayload
from shared.platform.messaging.unit_of_work import UnitOfWork

P = TypeVar("P", bound=EventPayload)
Handler = Callable[[UnitOfWork, P, CloudEvent], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Received(Generic[P]):
    """One event handed to a batch handler: its typed payload and its envelope."""

    payload: P
    envelope: CloudEvent


BatchHandler = Callable[[UnitOfWork, Sequence[Received[P]]], Awaitable[None]]


@dataclass(frozen=True)
class InBatches:
    """Marks a handler written in the batch form (see the module docstring)."""

    function: Callable[..., Awaitable[None]]


def in_batches(function: Callable[..., Awaitable[None]]) -> InBatches:
    return InBatches(function)


def on_repositories(
    repositories: Callable[[UnitOfWork], object],
) -> Callable[[Callable[..., Awaitable[None]]], Callable[..., Awaitable[None]]]:
    """For handlers written against a service's repository unit of work: the consumer's
    shared `UnitOfWork` is wrapped by `repositories` (e.g. `SqlIntakeUnitOfWork`) before the
    call. The wrapper keeps the handler's signature (`functools.wraps`), so the registry
    still injects its dependencies by parameter name."""

    def wrap(handler: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
        @functools.wraps(handler)
        async def handle(uow: UnitOfWork, *args: Any, **kwargs: Any) -> None:
            await handler(repositories(uow), *args, **kwargs)

        return handle

    return wrap


# What a service lists: payload class → its handler (`HandlerRegistry.wired`).
Handlers = Mapping[type[EventPayload], Callable[..., Awaitable[None]] | InBatches]


_POSITIONAL = {False: ("uow", "event", "envelope"), True: ("uow", "received")}


def inject_dependencies(
    function: Callable[..., Awaitable[None]],
    dependencies: Mapping[str, object],
    *,
    batch: bool = False,
) -> Callable[..., Awaitable[None]]:
    """`function` with every keyword parameter past the event ones bound by name."""
    params = list(inspect.signature(function).parameters.values())
    positional = len(_POSITIONAL[batch])
    wanted = [p.name for p in params[positional:]]
    missing = [name for name in wanted if name not in dependencies]
    if len(params) < positional or missing:
        raise TypeError(
            f"handler {function.__qualname__} takes {[p.name for p in params]}: the first "
            f"{positional} are {_POSITIONAL[batch]}, and no dependency is named {missing}"
        )
    if not wanted:
        return function
    return functools.partial(function, **{name: dependencies[name] for name in wanted})


@dataclass(frozen=True)
class Registration(Generic[P]):
    payload_cls: type[P]
    handler: Handler[P]  # one event (also a batch handler, with a run of one)
    batch: BatchHandler[P] | None = None  # the set-based form, when the handler has one

    async def handle_run(self, uow: UnitOfWork, run: Sequence[Received[P]]) -> None:
        if self.batch is not None:
            await self.batch(uow, run)
            return
        for item in run:
            await self.handler(uow, item.payload, item.envelope)


def _one_at_a_time(batch: BatchHandler[P]) -> Handler[P]:
    async def handle(uow: UnitOfWork, payload: P, envelope: CloudEvent) -> None:
        await batch(uow, [Received(payload, envelope)])

    return handle


class HandlerRegistry:
    """Event type → handler; one function per event type (style.md)."""

    def __init__(self) -> None:
        self._by_type: dict[str, Registration[Any]] = {}

    @classmethod
    def wired(
        cls,
        handlers: Handlers,
        dependencies: Mapping[str, object],
    ) -> HandlerRegistry:
        """The registry of `handlers` with their dependencies injected (at start-up)."""
        registry = cls()
        for payload_cls, handler in handlers.items():
            if isinstance(handler, InBatches):
                registry.on_batch(
                    payload_cls, inject_dependencies(handler.function, dependencies, batch=True)
                )
            else:
                registry.on(payload_cls, inject_dependencies(handler, dependencies))
        return registry

    def on(self, payload_cls: type[P], handler: Handler[P]) -> None:
        self._add(Registration(payload_cls, handler))

    def on_batch(self, payload_cls: type[P], batch: BatchHandler[P]) -> None:
        self._add(Registration(payload_cls, _one_at_a_time(batch), batch))

    def _add(self, registration: Registration[Any]) -> None:
        event_type = registration.payload_cls.event_type
        if event_type in self._by_type:
            raise ValueError(f"two handlers for {event_type}")
        self._by_type[event_type] = registration

    def get(self, event_type: str) -> Registration[Any] | None:
        return self._by_type.get(event_type)

    def topics(self) -> list[str]:
        return sorted({r.payload_cls.topic for r in self._by_type.values()})

    def event_types(self) -> list[str]:
        return sorted(self._by_type)


def chunks_without_repeats(
    received: Sequence[Received[P]], key: Callable[[P], Hashable]
) -> list[list[Received[P]]]:
    """The run cut, in order, into chunks in which no key repeats: a set-based statement sees
    each key once, and a later event of the same key still applies after the earlier one."""
    chunks: list[list[Received[P]]] = []
    seen: set[Hashable] = set()
    for item in received:
        k = key(item.payload)
        if not chunks or k in seen:
            chunks.append([])
            seen = set()
        chunks[-1].append(item)
        seen.add(k)
    return chunks
