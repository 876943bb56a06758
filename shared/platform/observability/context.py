"""Per-request and per-event context carried into logs and outgoing events."""

from __future__ import annotations

import secrets
from contextvars import ContextVar

from opentelemetry import trace

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
event_id_var: ContextVar[str | None] = ContextVar("event_id", default=None)
traceparent_var: ContextVar[str | None] = ContextVar("traceparent", default=None)


def current_traceparent() -> str | None:
    """The W3C `traceparent` of the active OpenTelemetry span (stored with outbox rows);
    without one (tracing disabled), the request's or event's own."""
    ctx = trace.get_current_span().get_span_context()
    if ctx.is_valid:
        return f"00-{ctx.trace_id:032x}-{ctx.span_id:016x}-{int(ctx.trace_flags):02x}"
    return traceparent_var.get()


def new_traceparent() -> str:
    """A W3C trace context header for a trace that starts here."""
    return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01"


def child_traceparent(parent: str | None) -> str:
    """Same trace id, new span id; a malformed parent starts a new trace."""
    parts = (parent or "").split("-")
    if len(parts) == 4 and len(parts[1]) == 32 and len(parts[2]) == 16:
        return f"00-{parts[1]}-{secrets.token_hex(8)}-{parts[3]}"
    return new_traceparent()
