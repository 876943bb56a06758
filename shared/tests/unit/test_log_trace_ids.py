"""Every JSON log line inside a span carries its trace and span ids."""

from __future__ import annotations

import logging

import orjson
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider

from shared.platform.observability.context import current_traceparent, traceparent_var
from shared.platform.observability.logs import JsonFormatter


def _line() -> dict[str, object]:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    parsed: dict[str, object] = orjson.loads(JsonFormatter("intake").format(record))
    return parsed


def test_log_line_carries_the_active_span() -> None:
    tracer = TracerProvider().get_tracer("test")  # a local provider: no global state
    with tracer.start_as_current_span("request") as span:
        ctx = span.get_span_context()
        line = _line()
        assert line["trace_id"] == f"{ctx.trace_id:032x}"
        assert line["span_id"] == f"{ctx.span_id:016x}"
        # The outbox stores the same context.
        flags = f"{int(ctx.trace_flags):02x}"
        assert current_traceparent() == f"00-{ctx.trace_id:032x}-{ctx.span_id:016x}-{flags}"


def test_without_a_span_the_request_trace_context_is_used() -> None:
    assert not trace.get_current_span().get_span_context().is_valid
    token = traceparent_var.set("00-" + "a" * 32 + "-" + "b" * 16 + "-01")
    try:
        line = _line()
    finally:
        traceparent_var.reset(token)
    assert (line["trace_id"], line["span_id"]) == ("a" * 32, "b" * 16)
    assert "trace_id" not in _line()
