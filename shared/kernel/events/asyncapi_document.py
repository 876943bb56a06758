"""The AsyncAPI 3.0 document of our Kafka events, built from the typed models.

What another agency needs to connect without our code: the servers (local PLAINTEXT, the
production SASL_SSL listener with SCRAM-SHA-512), every topic with its messages, each
message's headers (the CloudEvents content mode), key and payload schema, and a realistic
example of each. Inbound topics also describe binary content mode, the CloudEvents SDKs'
default, which every consumer accepts (contract.md "Events").

The document must pass the official validator (`make asyncapi-validate`).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic.json_schema import models_json_schema

from shared.kernel.codes.uscc import USCC_PATTERN
from shared.kernel.events.catalog import EVENT_TYPES
from shared.kernel.events.envelope import STRUCTURED_CONTENT_TYPE, CloudEvent, EventPayload
from shared.kernel.events.examples import example_envelope
from shared.kernel.events.topics import ALL_TOPICS, INBOUND_TOPICS, MAX_MESSAGE_BYTES

_SCHEMAS = "#/components/schemas/"
_KAFKA_BINDING = "0.5.0"
# Production topics (architecture.md "Events").
PRODUCTION_PARTITIONS = 12


def string_discriminators(schema: Any) -> Any:
    """pydantic writes OpenAPI's object-valued `discriminator` ({propertyName, mapping});
    the AsyncAPI schema object wants the property name as a string. The `oneOf` beside it
    still says everything a validator needs."""
    if isinstance(schema, dict):
        fixed = {k: string_discriminators(v) for k, v in schema.items()}
        discriminator = fixed.get("discriminator")
        if isinstance(discriminator, dict) and "propertyName" in discriminator:
            fixed["discriminator"] = discriminator["propertyName"]
        return fixed
    if isinstance(schema, list):
        return [string_discriminators(v) for v in schema]
    return schema


def _message_id(event_type: str, binary: bool = False) -> str:
    return event_type.replace(".", "_") + ("_binary" if binary else "")


def _channel_id(topic: str) -> str:
    return topic.replace(".", "_").replace("-", "_")


def _data_schemas() -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """(components.schemas, event type -> $ref of its data schema)."""
    refs, document = models_json_schema(
        [(cls, "serialization") for cls in EVENT_TYPES] + [(CloudEvent, "serialization")],
        ref_template=_SCHEMAS + "{model}",
    )
    schemas: dict[str, Any] = string_discriminators(document.get("$defs", {}))
    by_type = {cls.event_type: refs[(cls, "serialization")] for cls in EVENT_TYPES}
    return schemas, by_type


def _key(cls: type[EventPayload]) -> dict[str, Any]:
    if cls.key_field == "uscc":
        return {
            "type": "string",
            "pattern": USCC_PATTERN,
            "description": "The enterprise's unified social credit code (data.uscc), so that "
            "every event of one enterprise keeps its order.",
        }
    return {
        "type": "string",
        "description": f"data.{cls.key_field}: one event per {cls.key_field.removesuffix('_id')}"
        ", not per enterprise (its entries name the enterprises).",
    }


_TRACE_HEADERS = {
    "traceparent": {
        "type": "string",
        "description": "W3C Trace Context of the request that caused the event (optional).",
    },
    "tracestate": {"type": "string", "description": "W3C Trace Context vendor state (optional)."},
}


def _structured_message(
    cls: type[EventPayload], data_ref: dict[str, Any], inbound: bool
) -> dict[str, Any]:
    payload, wire = example_envelope(cls)
    envelope = json.loads(wire)
    return {
        "name": cls.event_type,
        "title": f"{cls.event_type} (structured content mode)",
        "summary": _summary(cls),
        "contentType": "application/cloudevents+json",
        "headers": {
            "type": "object",
            "required": ["content-type"],
            "properties": {
                "content-type": {
                    "type": "string",
                    "description": "CloudEvents structured content mode: the whole event is "
                    "the value. No ce_ header is sent (it would mean binary mode).",
                    **(
                        {"pattern": "^application/cloudevents\\+json"}
                        if inbound
                        else {"const": STRUCTURED_CONTENT_TYPE}
                    ),
                },
                **_TRACE_HEADERS,
            },
        },
        "payload": {
            "allOf": [
                {"$ref": _SCHEMAS + "CloudEvent"},
                {
                    "type": "object",
                    "required": ["type", "subject", "data"],
                    "properties": {
                        "type": {"const": cls.event_type},
                        "subject": {
                            "type": "string",
                            "description": "The Kafka key: " + _key(cls)["description"],
                        },
                        "datacontenttype": {"const": "application/json"},
                        "data": data_ref,
                    },
                },
            ]
        },
        "bindings": {"kafka": {"key": _key(cls), "bindingVersion": _KAFKA_BINDING}},
        "examples": [
            {
                "name": "example",
                "summary": f"A {cls.event_type} event as it is on the wire",
                "headers": {"content-type": STRUCTURED_CONTENT_TYPE},
                "payload": envelope | {"subject": payload.partition_key()},
            }
        ],
    }


def _binary_message(cls: type[EventPayload], data_ref: dict[str, Any]) -> dict[str, Any]:
    _, wire = example_envelope(cls)
    envelope = json.loads(wire)
    attributes = {k: v for k, v in envelope.items() if k not in ("data", "datacontenttype")}
    return {
        "name": cls.event_type,
        "title": f"{cls.event_type} (binary content mode)",
        "summary": f"{_summary(cls)} (binary content mode, the CloudEvents SDKs' default)",
        "contentType": "application/json",
        "headers": {
            "type": "object",
            "required": ["ce_specversion", "ce_id", "ce_source", "ce_type", "content-type"],
            "properties": {
                "ce_specversion": {"type": "string", "const": "1.0"},
                "ce_id": {"type": "string", "description": "Unique per ce_source."},
                "ce_source": {"type": "string", "description": "The publishing system."},
                "ce_type": {"type": "string", "const": cls.event_type},
                "ce_subject": {"type": "string", "description": "The enterprise USCC."},
                "ce_time": {"type": "string", "format": "date-time"},
                "content-type": {
                    "type": "string",
                    "description": "Media type of the value (the event's data).",
                    "pattern": "^application/json",
                },
                **_TRACE_HEADERS,
            },
        },
        "payload": data_ref,
        "bindings": {"kafka": {"key": _key(cls), "bindingVersion": _KAFKA_BINDING}},
        "examples": [
            {
                "name": "example-binary",
                "summary": f"A {cls.event_type} event in binary content mode",
                "headers": {f"ce_{k}": str(v) for k, v in attributes.items()}
                | {"content-type": "application/json"},
                "payload": envelope["data"],
            }
        ],
    }


def _summary(cls: type[EventPayload]) -> str:
    return (cls.__doc__ or cls.event_type).strip().splitlines()[0]


def _servers() -> dict[str, Any]:
    return {
        "local": {
            "host": "127.0.0.1:9092",
            "protocol": "kafka",
            "title": "Local broker of `make run`",
            "description": "PLAINTEXT, no authentication; loopback only. Topics have no "
            "prefix (test stacks add one).",
        },
        "production": {
            "host": "{bootstrap}:9094",
            "protocol": "kafka-secure",
            "title": "Production cluster, external listener",
            "description": "SASL_SSL with SCRAM-SHA-512 (security.protocol=SASL_SSL, "
            "sasl.mechanism=SCRAM-SHA-512). Each agency has its own Kafka user whose ACLs "
            "allow reading the topics it subscribes to, writing its inbound topic, and "
            "consumer groups starting with `<user>.` (e.g. `agency-tax.`).",
            "variables": {
                "bootstrap": {
                    "description": "The bootstrap host name handed over with the credentials.",
                    "default": "kafka.sme.example",
                }
            },
            "security": [{"$ref": "#/components/securitySchemes/scramSha512"}],
        },
    }


def asyncapi_document() -> dict[str, Any]:
    schemas, data_refs = _data_schemas()
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for topic in ALL_TOPICS:
        inbound = topic in INBOUND_TOPICS
        channel_id = _channel_id(topic)
        channel_messages: dict[str, Any] = {}
        for cls in (c for c in EVENT_TYPES if c.topic == topic):
            variants = [(False, _structured_message(cls, data_refs[cls.event_type], inbound))]
            if inbound:
                variants.append((True, _binary_message(cls, data_refs[cls.event_type])))
            for binary, message in variants:
                message_id = _message_id(cls.event_type, binary)
                messages[message_id] = message
                channel_messages[message_id] = {"$ref": f"#/components/messages/{message_id}"}
        channels[channel_id] = {
            "address": topic,
            "title": topic,
            "description": (
                "Inbound: published by another agency, in structured or binary content mode."
                if inbound
                else "Published by this system in CloudEvents structured content mode."
            ),
            "messages": channel_messages,
            "bindings": {
                "kafka": {
                    "topic": topic,
                    "partitions": PRODUCTION_PARTITIONS,
                    "topicConfiguration": {"max.message.bytes": MAX_MESSAGE_BYTES},
                    "bindingVersion": _KAFKA_BINDING,
                }
            },
        }
        action = "receive" if inbound else "send"
        operations[f"{action}_{channel_id}"] = {
            "action": action,
            "title": ("We consume " if inbound else "We publish ") + topic,
            "channel": {"$ref": f"#/channels/{channel_id}"},
            "messages": [
                {"$ref": f"#/channels/{channel_id}/messages/{message_id}"}
                for message_id in channel_messages
            ],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "S&T SME evaluation events (科技型中小企业评价)",
            "version": "1.0.0",
            "description": "CloudEvents 1.0 on Kafka, per the CloudEvents Kafka protocol "
            "binding: we publish in structured content mode (header `content-type: "
            f"{STRUCTURED_CONTENT_TYPE}`, the whole event as the value, no ce_ headers); "
            "inbound topics accept structured and binary content mode. Message key: the "
            "enterprise USCC. A breaking change is a new type version (.v2) on the same "
            "topic, never an edit of .v1. Sample clients: examples/ in the repository.",
        },
        "defaultContentType": "application/cloudevents+json",
        "servers": _servers(),
        "channels": channels,
        "operations": operations,
        "components": {
            "schemas": schemas,
            "messages": messages,
            "securitySchemes": {
                "scramSha512": {
                    "type": "scramSha512",
                    "description": "SASL/SCRAM-SHA-512 over TLS; one Kafka user per agency.",
                }
            },
        },
    }
