"""One OpenTelemetry trace from intake's submit request to review's handler.

Intake and review run in this process (each on its own fresh database, both with their
relay and consumers, on fresh topics of the real Kafka) so that one in-memory span
exporter sees both. The trace must hold: intake's HTTP server span for the submit, the
relay's Kafka send span, review's consumer span for the `ApplicationSubmitted` event, and
review's database work inside that handler; and the outbox row stores the same trace.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import select

from intake.bootstrap import create_app
from intake.config import IntakeSettings
from localdev.kafka import create_topics
from localdev.stack import Infra
from localdev.testing import running_app, test_settings
from review.bootstrap import create_app as create_review_app
from review.config import ReviewSettings
from shared.kernel.calendar.clock import FixedClock
from shared.kernel.events import topics
from shared.platform.db.metadata import outbox
from shared.platform.observability.tracing import add_span_processor
from shared.platform.runtime import ServiceRuntime

pytestmark = pytest.mark.integration


@pytest.fixture
def spans() -> Any:
    """An in-memory exporter on the process's tracer provider (installed if none yet)."""
    exporter = InMemorySpanExporter()
    add_span_processor(SimpleSpanProcessor(exporter), "sme-test")
    yield exporter
    exporter.shutdown()  # the processor stays, but stores nothing from now on


@pytest.fixture
def topic_prefix(infra: Infra) -> str:
    prefix = f"tr{uuid.uuid4().hex[:8]}."
    create_topics(infra.bootstrap, list(topics.every_topic(prefix)), partitions=1)
    return prefix


@pytest.fixture
async def app(
    infra: Infra,
    keys: tuple[Path, Path],
    fresh_database: Callable[[str], str],
    clock: FixedClock,
    spans: InMemorySpanExporter,
    topic_prefix: str,
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """Intake with its relay (overrides the API-only `app` of conftest), and review with its
    consumer, on topics of their own."""
    kafka = {"KAFKA_TOPIC_PREFIX": topic_prefix, "OUTBOX_POLL_INTERVAL": 0.2}
    intake = create_app(
        IntakeSettings(**test_settings("intake", fresh_database("intake"), infra, keys, **kafka)),
        clock=clock,
    )
    review = create_review_app(
        ReviewSettings(**test_settings("review", fresh_database("review"), infra, keys, **kafka)),
        clock=clock,
    )
    async with running_app(review), running_app(intake) as http:
        yield intake, http


def _by_id(found: list[ReadableSpan]) -> dict[int, ReadableSpan]:
    return {s.context.span_id: s for s in found}


def _ancestors(span: ReadableSpan, index: dict[int, ReadableSpan]) -> list[ReadableSpan]:
    chain = []
    while span.parent is not None and span.parent.span_id in index:
        span = index[span.parent.span_id]
        chain.append(span)
    return chain


async def test_one_trace_spans_intake_submit_and_review_handler(
    filing: Any, runtime: ServiceRuntime, spans: InMemorySpanExporter
) -> None:
    application = await filing.submitted(1)

    def review_handler() -> ReadableSpan | None:
        return next(
            (
                s
                for s in spans.get_finished_spans()
                if s.kind == trace.SpanKind.CONSUMER
                and (s.attributes or {}).get("messaging.consumer.group.name") == "review"
                and str((s.attributes or {}).get("messaging.destination.name", "")).endswith(
                    topics.APPLICATION
                )
            ),
            None,
        )

    for _ in range(300):  # bounded: 60 s
        handler = review_handler()
        if handler is not None:
            break
        await asyncio.sleep(0.2)
    else:
        raise AssertionError("review never handled the submission inside a span")

    finished = list(spans.get_finished_spans())
    submit = next(
        s
        for s in finished
        if s.kind == trace.SpanKind.SERVER
        and s.name.startswith("POST ")
        and s.name.endswith("/submit")
    )
    trace_id = submit.context.trace_id
    assert handler.context.trace_id == trace_id
    in_trace = [s for s in finished if s.context.trace_id == trace_id]
    index = _by_id(in_trace)
    # review's handler descends from intake's request: request -> Kafka send -> handler.
    chain = _ancestors(handler, index)
    assert submit in chain, [s.name for s in chain]
    assert any(s.kind == trace.SpanKind.PRODUCER for s in chain), [s.name for s in chain]
    # ... and review's effect (its database work) happened inside the handler's span.
    assert any(
        (s.attributes or {}).get("db.system") == "postgresql" or s.name.startswith("INSERT")
        for s in in_trace
        if handler in _ancestors(s, index)
    ), [s.name for s in in_trace]
    # The outbox row intake wrote with the submission stores that trace's context.
    async with runtime.db.engine.connect() as conn:
        headers = [
            row.headers
            for row in await conn.execute(select(outbox.c.headers, outbox.c.event_type))
            if row.event_type.endswith("submitted.v1")
        ]
    assert headers, "no ApplicationSubmitted row in intake's outbox"
    assert headers[0]["traceparent"].split("-")[1] == f"{trace_id:032x}"
    assert application["id"]
