"""CloudEvents 1.0 envelope in structured JSON mode (architecture.md "Events").

The Kafka message value is the whole envelope, the `content-type` header says so
(STRUCTURED_CONTENT_TYPE) and no `ce_` header is sent (contract.md "Events"); the key is
the USCC (`subject`); trace context travels in the Kafka headers (`traceparent`), not in
the envelope.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Literal, Self

import orjson
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

# The Kafka protocol binding's header for structured content mode.
STRUCTURED_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8"


class EventPayload(BaseModel):
    """Base of every typed event payload (`data`). Subclasses set `event_type` and `topic`.

    Consumers read tolerantly (`extra="ignore"`): adding a field to a payload is not a
    breaking change (contract.md: add, never rename).
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_type: ClassVar[str]
    topic: ClassVar[str]
    # The data field holding the partition key (the enterprise USCC) for this event type.
    key_field: ClassVar[str] = "uscc"

    def partition_key(self) -> str:
        return str(getattr(self, self.key_field))


# CloudEvents: `id` is unique per `source`; both are required on the wire. Bounded so that a
# hostile or broken publisher cannot make the inbox key unbounded.
EventId = Annotated[str, Field(min_length=1, max_length=200)]
EventSource = Annotated[str, Field(min_length=1, max_length=200)]


class CloudEvent(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    specversion: Literal["1.0"]
    id: EventId
    source: EventSource
    type: Annotated[str, Field(min_length=1, max_length=200)]
    subject: str | None = None
    # A naive time is ambiguous (UTC or Beijing?): refused as a malformed event.
    time: AwareDatetime
    datacontenttype: str = "application/json"
    data: dict[str, Any]

    @classmethod
    def wrap(
        cls,
        payload: EventPayload,
        *,
        source: str,
        event_id: str | None = None,
        time: datetime | None = None,
    ) -> Self:
        return cls(
            specversion="1.0",
            id=event_id or str(uuid.uuid4()),
            source=source,
            type=payload.event_type,
            subject=payload.partition_key(),
            time=time or datetime.now(UTC),
            data=payload.model_dump(mode="json"),
        )

    def to_json_bytes(self) -> bytes:
        body = self.model_dump(mode="json")
        # RFC 3339 UTC with a Z, as subscribers in other agencies expect.
        body["time"] = rfc3339(self.time)
        return orjson.dumps(body)

    @classmethod
    def from_json_bytes(cls, raw: bytes) -> Self:
        return cls.model_validate(orjson.loads(raw))


def rfc3339(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def encode_event(
    payload: EventPayload, *, source: str, event_id: str | None = None, time: datetime | None = None
) -> tuple[str, bytes]:
    """(id, wire bytes) of the CloudEvent for `payload` — the same bytes as
    `CloudEvent.wrap(...).to_json_bytes()`, without building the envelope model (the outbox
    writes up to tens of thousands of these in one batch)."""
    event_id = event_id or str(uuid.uuid4())
    body = {
        "specversion": "1.0",
        "id": event_id,
        "source": source,
        "type": payload.event_type,
        "subject": payload.partition_key(),
        "time": rfc3339(time or datetime.now(UTC)),
        "datacontenttype": "application/json",
        "data": payload.model_dump(mode="json"),
    }
    return event_id, orjson.dumps(body)


def source_of(service: str) -> str:
    return f"/sme/{service}"
