"""OpenTelemetry traces: one trace from an HTTP request through the outbox, Kafka and every
consumer's handler.

- HTTP: the FastAPI instrumentation opens the server span (continuing an incoming
  `traceparent`); asyncpg's instrumentation adds a span per query.
- Outbox: `current_traceparent()` (context.py) is the active span, so the row written with
  the state change stores it in its `headers` column.
- Relay: `stored_context(row.headers)` makes the stored context current while the row is
  sent; the aiokafka instrumentation's `send` span is its child and appends its own
  `traceparent` header after the stored one.
- Consumer: `consumer_span(...)` restores the context from the message (the last
  `traceparent`: the send span's when the producer is instrumented, else the stored one)
  and opens a CONSUMER span around the handler; outbox rows the handler writes carry it on.

Export: OTLP/HTTP, configured by the standard `OTEL_*` variables (`OTEL_EXPORTER_OTLP_ENDPOINT`
or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`,
`OTEL_TRACES_SAMPLER`, ...), and only when an endpoint is set: off by default locally.
`OTEL_SDK_DISABLED=true` turns tracing off altogether. The request and consumer spans are
created without an exporter too, so that every log line inside a request or event carries
`trace_id`/`span_id` and the stored `traceparent` travels with each event. The client
libraries' spans (one per query, one per Kafka send) only when spans go somewhere (an
exporter, or a test's `add_span_processor`): unseen, they cost CPU — 70% of the relay's
time publishing 10,000 events (py-spy, `benchmarks/RESULTS.md`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from fastapi import FastAPI
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.instrumentation.aiokafka import AIOKafkaInstrumentor
from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_PROPAGATOR = TraceContextTextMapPropagator()
_tracer = trace.get_tracer("shared.platform.messaging")
# Probes and scrapes would drown the real traces.
_EXCLUDED_URLS = "/healthz,/readyz,/metrics"


def _disabled() -> bool:
    return os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true"


def _exporting() -> bool:
    if os.environ.get("OTEL_TRACES_EXPORTER", "otlp").strip().lower() == "none":
        return False
    return any(
        os.environ.get(name)
        for name in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    )


class _Listeners:
    """Whether this process's spans go anywhere (an exporter or a test's processor)."""

    present = False


def install_tracer_provider(service: str) -> None:
    """The process-wide SDK tracer provider, once (a provider already installed, e.g. a
    test's in-memory one, is kept)."""
    if _disabled() or isinstance(trace.get_tracer_provider(), TracerProvider):
        return
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    if _exporting():
        # Imported here: the exporter (protobuf, requests) loads only when it is used.
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        _Listeners.present = True
    trace.set_tracer_provider(provider)


def add_span_processor(processor: SpanProcessor, service: str = "sme") -> None:
    """Hand this process's spans to `processor` too (a test's in-memory exporter), the
    client libraries' spans included for every app configured from now on."""
    install_tracer_provider(service)
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider), "tracing is disabled (OTEL_SDK_DISABLED)"
    provider.add_span_processor(processor)
    _Listeners.present = True


def configure_tracing(service: str, app: FastAPI) -> None:
    """Provider, then the FastAPI (this app) instrumentation, and the asyncpg and aiokafka
    ones when spans go somewhere."""
    if _disabled():
        return
    install_tracer_provider(service)
    if _Listeners.present:
        asyncpg_instrumentor = AsyncPGInstrumentor()  # type: ignore[no-untyped-call]
        for instrumentor in (asyncpg_instrumentor, AIOKafkaInstrumentor()):
            if not instrumentor.is_instrumented_by_opentelemetry:
                instrumentor.instrument()
    # One SERVER span per request; not the two INTERNAL spans per ASGI message ("http
    # receive" / "http send") the instrumentation adds by default: they say nothing a
    # reader of a trace needs and were a measurable share of every request's CPU.
    FastAPIInstrumentor.instrument_app(
        app, excluded_urls=_EXCLUDED_URLS, exclude_spans=["receive", "send"]
    )


@contextlib.contextmanager
def stored_context(headers: Mapping[str, Any] | None) -> Iterator[None]:
    """Make the trace context stored with an outbox row current (relay, while sending), for
    the Kafka send span; nothing to do when no span is recorded (the stored `traceparent`
    header is sent as it is)."""
    if not _Listeners.present:
        yield
        return
    carrier = {k: str(v) for k, v in (headers or {}).items()}
    token = otel_context.attach(_PROPAGATOR.extract(carrier))
    try:
        yield
    finally:
        otel_context.detach(token)


@contextlib.contextmanager
def consumer_span(
    service: str, topic: str, headers: Sequence[tuple[str, bytes]], event_type: str
) -> Iterator[trace.Span]:
    """A CONSUMER span around handling one message, continuing the producer's trace."""
    carrier: dict[str, str] = {}
    for key, value in headers:  # the last traceparent wins (see the module docstring)
        if key in ("traceparent", "tracestate"):
            carrier[key] = value.decode(errors="replace")
    parent = _PROPAGATOR.extract(carrier)
    with _tracer.start_as_current_span(
        f"{topic} process",
        context=parent,
        kind=trace.SpanKind.CONSUMER,
        attributes={
            "messaging.system": "kafka",
            "messaging.operation.type": "process",
            "messaging.destination.name": topic,
            "messaging.consumer.group.name": service,
            "cloudevents.event_type": event_type,
        },
    ) as span:
        yield span


def current_ids() -> tuple[str, str] | None:
    """(trace_id, span_id) of the active span, hex, or None outside any span."""
    ctx = trace.get_current_span().get_span_context()
    if not ctx.is_valid:
        return None
    return f"{ctx.trace_id:032x}", f"{ctx.span_id:016x}"
