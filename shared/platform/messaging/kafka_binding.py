"""Reading a Kafka message as a CloudEvent, per the CloudEvents 1.0 Kafka protocol binding.

Other agencies publish with the official SDKs, whose default is binary content mode, while
we publish structured mode (contract.md "Events"); every consumer accepts both. The modes
are told apart and parsed by the official `cloudevents` SDK, never by our own header code:

- structured: `content-type: application/cloudevents+json…`, the whole event as the value;
- binary: `ce_specversion` (and the other `ce_*` attributes) in the headers, the data as
  the value, its media type in `content-type`;
- our own messages from before the wire change (the whole envelope as the value, no
  `content-type`, at most `ce_type`/`ce_id`): read as structured, so that the outbox rows
  and topic contents of a rollout are not dead-lettered.

Anything else (another content type without `ce_specversion`, an unparseable value, an
event the SDK or our envelope model refuses) is `NotACloudEvent`, with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cloudevents.core.base import BaseCloudEvent
from cloudevents.core.bindings import kafka
from cloudevents.core.exceptions import BaseCloudEventException
from cloudevents.core.formats.json import JSONFormat
from pydantic import ValidationError

from shared.kernel.events.envelope import CloudEvent

# The binding adds the message key as this extension; our key is the subject already.
_KEY_EXTENSION = kafka.PARTITIONKEY_ATTR
_FORMAT = JSONFormat()


class NotACloudEvent(ValueError):
    """The message is in neither content mode, or its event is malformed."""


def content_mode(headers: dict[str, bytes]) -> str:
    """`structured`, `binary`, `legacy` (our pre-change structured form) or `neither`."""
    content_type = headers.get("content-type")
    if content_type is not None and content_type.decode(
        errors="replace"
    ).strip().lower().startswith("application/cloudevents"):
        return "structured"
    if "ce_specversion" in headers:
        return "binary"
    if content_type is None:
        return "legacy"
    return "neither"


def decode(
    value: bytes | None, key: bytes | None, headers: Iterable[tuple[str, bytes]]
) -> CloudEvent:
    """The CloudEvent carried by one Kafka message, in either content mode."""
    if value is None:
        raise NotACloudEvent("not a CloudEvent: empty message value")
    by_name = {name.lower(): raw for name, raw in headers}
    mode = content_mode(by_name)
    if mode == "neither":
        raise NotACloudEvent(
            "not a CloudEvent: neither structured content mode (content-type "
            "application/cloudevents+json) nor binary content mode (ce_specversion header); "
            f"content-type is {by_name['content-type'].decode(errors='replace')!r}"
        )
    message = kafka.KafkaMessage(headers=by_name, key=key, value=value)
    try:
        if mode == "binary":
            sdk_event = kafka.from_binary(message, _FORMAT)
        else:
            sdk_event = kafka.from_structured(message, _FORMAT)
        return CloudEvent.model_validate(_envelope(sdk_event))
    except (BaseCloudEventException, ValueError, TypeError, AttributeError) as exc:
        # ValueError covers bad JSON, bad UTF-8, a bad time and pydantic's ValidationError.
        detail = _short(exc)
        raise NotACloudEvent(f"not a CloudEvent ({mode} content mode): {detail}") from exc


def _envelope(event: BaseCloudEvent) -> dict[str, Any]:
    attributes = dict(event.get_attributes())
    attributes.pop(_KEY_EXTENSION, None)
    return {**attributes, "data": event.get_data()}


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(event)'}: {e['msg']}" for e in exc.errors()
        )
    return f"{type(exc).__name__}: {exc}"
