"""The AsyncAPI document other agencies connect with (shared/kernel/events/asyncapi.yaml).

The official validator (`make asyncapi-validate`) checks its form; these tests check what
it does not: every event type is described, with headers of the right content mode, and
every example is valid against its own message's schemas.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
import yaml
from cloudevents.core.bindings.kafka import KafkaMessage, from_kafka
from cloudevents.core.formats.json import JSONFormat

from shared.kernel.events.catalog import EVENT_TYPES
from shared.kernel.events.schema_export import ASYNCAPI_FILE, SCHEMA_DIR
from shared.kernel.events.topics import INBOUND_TOPICS

DOCUMENT: dict[str, Any] = yaml.safe_load(ASYNCAPI_FILE.read_text("utf-8"))
MESSAGES: dict[str, Any] = DOCUMENT["components"]["messages"]


def against_document(schema: dict[str, Any]) -> dict[str, Any]:
    """A schema whose `#/components/...` references resolve inside the document."""
    return {**schema, "components": DOCUMENT["components"]}


def test_servers_say_how_to_connect_locally_and_in_production() -> None:
    servers = DOCUMENT["servers"]
    assert servers["local"]["protocol"] == "kafka"
    assert servers["local"]["host"] == "127.0.0.1:9092"
    production = servers["production"]
    assert production["protocol"] == "kafka-secure"
    assert "SCRAM-SHA-512" in production["description"]
    [scheme] = production["security"]
    assert DOCUMENT["components"]["securitySchemes"]["scramSha512"]["type"] == "scramSha512"
    assert scheme["$ref"] == "#/components/securitySchemes/scramSha512"


@pytest.mark.parametrize("payload_cls", EVENT_TYPES, ids=lambda c: c.event_type)
def test_every_event_type_has_a_message_on_its_topic(payload_cls: Any) -> None:
    channel = DOCUMENT["channels"][payload_cls.topic.replace(".", "_").replace("-", "_")]
    assert channel["address"] == payload_cls.topic
    message_id = payload_cls.event_type.replace(".", "_")
    assert message_id in channel["messages"]
    message = MESSAGES[message_id]
    assert message["name"] == payload_cls.event_type
    assert message["bindings"]["kafka"]["key"]["type"] == "string"
    headers = message["headers"]["properties"]
    assert "content-type" in message["headers"]["required"]
    # Structured content mode: a ce_ header would make every SDK read binary mode.
    assert not [name for name in headers if name.startswith("ce_")]
    if payload_cls.topic in INBOUND_TOPICS:
        assert payload_cls.event_type.replace(".", "_") + "_binary" in channel["messages"]
    else:
        assert headers["content-type"]["const"] == "application/cloudevents+json; charset=UTF-8"


@pytest.mark.parametrize("message_id", sorted(MESSAGES))
def test_every_example_is_valid_against_its_message(message_id: str) -> None:
    message = MESSAGES[message_id]
    assert message["examples"], f"{message_id} has no example"
    for example in message["examples"]:
        jsonschema.validate(example["payload"], against_document(message["payload"]))
        jsonschema.validate(example["headers"], against_document(message["headers"]))


@pytest.mark.parametrize("message_id", sorted(m for m in MESSAGES if not m.endswith("_binary")))
def test_the_sdk_reads_each_structured_example_as_the_event_it_describes(message_id: str) -> None:
    [example] = MESSAGES[message_id]["examples"]
    headers = {k: str(v).encode() for k, v in example["headers"].items()}
    value = json.dumps(example["payload"], ensure_ascii=False).encode()
    event = from_kafka(KafkaMessage(headers=headers, key=None, value=value), JSONFormat())
    assert event.get_type() == MESSAGES[message_id]["name"]
    assert event.get_data() == example["payload"]["data"]


def _discriminators(node: Any) -> list[Any]:
    if isinstance(node, dict):
        found = [node["discriminator"]] if "discriminator" in node else []
        return found + [d for v in node.values() for d in _discriminators(v)]
    if isinstance(node, list):
        return [d for v in node for d in _discriminators(v)]
    return []


def test_discriminators_are_property_names() -> None:
    found = _discriminators(DOCUMENT)
    for path in SCHEMA_DIR.glob("*.json"):
        found += _discriminators(yaml.safe_load(path.read_text("utf-8")))
    assert found, "the form's discriminated unions should still say their property"
    assert all(isinstance(d, str) for d in found), found
