"""The CloudEvents envelope on the wire."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson

from shared.kernel.events.envelope import CloudEvent, encode_event
from shared.kernel.events.payloads.tracking import QuarterlyReportOverdue

PAYLOAD = QuarterlyReportOverdue(uscc="91150105MA0Q4XXXXA", year=2026, quarter=3)
AT = datetime(2026, 10, 16, 1, 2, 3, 456789, tzinfo=UTC)


def test_the_fast_encoder_writes_exactly_what_the_envelope_model_writes() -> None:
    event_id, wire = encode_event(PAYLOAD, source="/sme/tracking", event_id="e-1", time=AT)
    model = CloudEvent.wrap(PAYLOAD, source="/sme/tracking", event_id="e-1", time=AT)
    assert event_id == "e-1"
    assert wire == model.to_json_bytes()


def test_the_wire_form_is_structured_cloudevents_with_the_uscc_as_subject() -> None:
    _, wire = encode_event(PAYLOAD, source="/sme/tracking", time=AT)
    body = orjson.loads(wire)
    assert body["specversion"] == "1.0"
    assert body["type"] == "cn.sme.tracking.overdue.v1"
    assert body["subject"] == "91150105MA0Q4XXXXA"
    assert body["time"] == "2026-10-16T01:02:03.456789Z"
    assert body["data"]["quarter"] == 3
    assert CloudEvent.from_json_bytes(wire).data == body["data"]
