"""Handler wiring by parameter name and the cutting of batches (pure parts of the consumer)."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from shared.kernel.events import topics
from shared.kernel.events.envelope import CloudEvent, EventPayload
from shared.platform.messaging.consumer import _runs_of_one_type
from shared.platform.messaging.handler_registry import (
    HandlerRegistry,
    Received,
    chunks_without_repeats,
    in_batches,
    inject_dependencies,
)


class Probe(EventPayload):
    event_type: ClassVar[str] = "cn.sme.test.unit-probe.v1"
    topic: ClassVar[str] = topics.TRACKING
    uscc: str


class OtherProbe(EventPayload):
    event_type: ClassVar[str] = "cn.sme.test.unit-other.v1"
    topic: ClassVar[str] = topics.REVIEW
    uscc: str


def received(*keys: str) -> list[Received[Probe]]:
    return [
        Received(Probe(uscc=k), CloudEvent.wrap(Probe(uscc=k), source="/sme/test")) for k in keys
    ]


async def test_dependencies_are_bound_by_parameter_name_once() -> None:
    seen: list[Any] = []

    async def handler(uow: Any, event: Probe, envelope: CloudEvent, clock: str) -> None:
        seen.append((uow, event.uscc, clock))

    bound = inject_dependencies(handler, {"clock": "the clock", "policies": "unused"})
    await bound("uow", Probe(uscc="a"), None)
    assert seen == [("uow", "a", "the clock")]


def test_a_parameter_no_dependency_answers_stops_the_wiring() -> None:
    async def handler(uow: Any, event: Probe, envelope: CloudEvent, mailer: object) -> None:
        return None

    with pytest.raises(TypeError, match="mailer"):
        inject_dependencies(handler, {"clock": object()})


async def test_the_registry_wires_both_forms_and_a_batch_handler_also_takes_one() -> None:
    calls: list[tuple[str, Any]] = []

    async def one(uow: Any, event: OtherProbe, envelope: CloudEvent, policies: str) -> None:
        calls.append(("one", policies))

    async def many(uow: Any, items: list[Received[Probe]], policies: str) -> None:
        calls.append(("many", [i.payload.uscc for i in items]))

    registry = HandlerRegistry.wired(
        {OtherProbe: one, Probe: in_batches(many)}, {"policies": "P", "clock": "C"}
    )
    assert registry.event_types() == sorted([Probe.event_type, OtherProbe.event_type])
    assert registry.topics() == sorted([topics.TRACKING, topics.REVIEW])
    batch = registry.get(Probe.event_type)
    assert batch is not None
    assert batch.batch is not None
    await batch.handle_run("uow", received("a", "b"))
    await batch.handler("uow", Probe(uscc="c"), None)  # a replay: a run of one
    single = registry.get(OtherProbe.event_type)
    assert single is not None
    assert single.batch is None
    await single.handler("uow", OtherProbe(uscc="x"), None)
    assert calls == [("many", ["a", "b"]), ("many", ["c"]), ("one", "P")]


def test_two_handlers_for_one_type_are_refused() -> None:
    async def handler(uow: Any, event: Probe, envelope: CloudEvent) -> None:
        return None

    registry = HandlerRegistry()
    registry.on(Probe, handler)
    with pytest.raises(ValueError, match="two handlers"):
        registry.on_batch(Probe, in_batches(handler).function)


def test_a_run_is_cut_where_a_key_comes_again() -> None:
    chunks = chunks_without_repeats(received("a", "b", "a", "c", "c", "d"), lambda p: p.uscc)
    assert [[i.payload.uscc for i in c] for c in chunks] == [["a", "b"], ["a", "c"], ["c", "d"]]
    assert chunks_without_repeats([], lambda p: p.uscc) == []


def test_runs_keep_the_order_and_group_only_neighbours_of_one_type() -> None:
    class Item:
        def __init__(self, event_type: str) -> None:
            self.event = type("E", (), {"type": event_type})()

    items = [Item(t) for t in ["a", "a", "b", "a", "a", "a"]]
    runs = _runs_of_one_type(items)  # type: ignore[arg-type]
    assert [[i.event.type for i in run] for run in runs] == [["a", "a"], ["b"], ["a", "a", "a"]]
