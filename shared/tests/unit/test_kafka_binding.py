"""Reading a Kafka message in either CloudEvents content mode (contract.md "Events")."""

from __future__ import annotations

import json

import pytest
from cloudevents.core.bindings.kafka import to_binary, to_structured
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent as SdkEvent

from shared.kernel.events.examples import example_envelope
from shared.kernel.events.payloads.external import MarketListingAdded
from shared.platform.messaging.kafka_binding import NotACloudEvent, content_mode, decode
from shared.platform.messaging.relay import wire_headers

_, WIRE = example_envelope(MarketListingAdded)
ENVELOPE = json.loads(WIRE)
STRUCTURED = [("content-type", b"application/cloudevents+json; charset=UTF-8")]


def sdk_event(**changes: object) -> SdkEvent:
    attributes = {k: v for k, v in ENVELOPE.items() if k != "data"} | changes
    return JSONFormat().read(None, json.dumps({**attributes, "data": ENVELOPE["data"]}))


def test_our_structured_message_is_read_whole() -> None:
    event = decode(WIRE, b"K", STRUCTURED)
    assert event.id == ENVELOPE["id"]
    assert event.type == "cn.samr.listing.added.v1"
    assert event.data == ENVELOPE["data"]
    assert event.time.tzinfo is not None


def test_a_binary_message_from_the_sdk_is_read_from_its_headers() -> None:
    message = to_binary(sdk_event(), JSONFormat())
    event = decode(message.value, b"K", message.headers.items())
    assert event.id == ENVELOPE["id"]
    assert event.source == ENVELOPE["source"]
    assert event.subject == ENVELOPE["subject"]
    assert event.data == ENVELOPE["data"]


def test_a_structured_message_from_the_sdk_is_read() -> None:
    message = to_structured(sdk_event(), JSONFormat())
    assert content_mode(message.headers) == "structured"
    assert decode(message.value, None, message.headers.items()).data == ENVELOPE["data"]


def test_header_names_are_case_insensitive() -> None:
    assert decode(WIRE, None, [("Content-Type", b"application/cloudevents+json")]).id


@pytest.mark.parametrize(
    "old_headers",
    [[], [("ce_type", b"cn.samr.listing.added.v1"), ("ce_id", ENVELOPE["id"].encode())]],
    ids=["no-headers", "ce_type-and-ce_id"],
)
def test_our_messages_from_before_the_wire_change_are_still_read(
    old_headers: list[tuple[str, bytes]],
) -> None:
    assert content_mode(dict(old_headers)) == "legacy"
    assert decode(WIRE, None, old_headers).id == ENVELOPE["id"]


@pytest.mark.parametrize(
    ("value", "headers", "reason"),
    [
        (None, STRUCTURED, "empty message value"),
        (b"{not json", STRUCTURED, "not a CloudEvent (structured"),
        (WIRE, [("content-type", b"application/json")], "neither structured"),
        (b"{}", [("ce_specversion", b"1.0"), ("ce_type", b"t")], "source"),
        (b'{"specversion": "1.0", "type": 42}', [], "not a CloudEvent (legacy"),
        # The data must be a JSON object (every payload is one).
        (
            b'"text"',
            [
                ("ce_specversion", b"1.0"),
                ("ce_id", b"1"),
                ("ce_source", b"/s"),
                ("ce_type", b"t"),
                ("ce_time", b"2026-10-01T00:00:00Z"),
                ("content-type", b"text/plain"),
            ],
            "data",
        ),
    ],
    ids=["empty", "bad-json", "neither-mode", "binary-without-source", "bad-type", "text-data"],
)
def test_what_is_not_a_cloudevent_is_refused_with_the_reason(
    value: bytes | None, headers: list[tuple[str, bytes]], reason: str
) -> None:
    with pytest.raises(NotACloudEvent, match="not a CloudEvent") as refused:
        decode(value, None, headers)
    assert reason in str(refused.value)


def test_a_time_without_offset_is_refused() -> None:
    naive = WIRE.replace(b'"2026-09-20T02:30:00Z"', b'"2026-09-20T02:30:00"')
    assert naive != WIRE
    with pytest.raises(NotACloudEvent, match="time"):
        decode(naive, None, STRUCTURED)


def test_the_relay_publishes_structured_mode_without_ce_headers() -> None:
    old_row = {"ce_type": "cn.sme.x.v1", "ce_id": "1", "traceparent": "00-ab-cd-01"}
    assert wire_headers(old_row) == [
        ("content-type", b"application/cloudevents+json; charset=UTF-8"),
        ("traceparent", b"00-ab-cd-01"),
    ]
    assert wire_headers(None) == [("content-type", b"application/cloudevents+json; charset=UTF-8")]
    new_row = {"content-type": "application/cloudevents+json; charset=UTF-8", "tracestate": "a=1"}
    assert wire_headers(new_row)[1:] == [("tracestate", b"a=1")]
