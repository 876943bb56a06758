"""JSON logs, one object per line, with the request and event ids and the trace and span ids
of the current context."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any

import orjson

from shared.platform.observability.context import current_traceparent, event_id_var, request_id_var

# LogRecord attributes that are not "extra" fields.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat().replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            body["request_id"] = request_id
        event_id = event_id_var.get()
        if event_id:
            body["event_id"] = event_id
        # The active span (or, with tracing off, the request's/event's trace context).
        parts = (current_traceparent() or "").split("-")
        if len(parts) == 4:
            body["trace_id"], body["span_id"] = parts[1], parts[2]
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                body[key] = value
        if record.exc_info:
            body["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(body, default=str).decode()


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # aiokafka logs every reconnect attempt at ERROR during an outage; the relay and consumer
    # report outages themselves, once, with context.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    logging.getLogger("uvicorn.access").disabled = True  # replaced by our access log middleware
