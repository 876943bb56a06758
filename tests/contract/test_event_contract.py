"""The event contract other agencies and our own services build against.

- every event type of the catalog has its committed JSON Schema, and a real instance of each
  validates against it;
- every service handles the event types it is responsible for (architecture.md table), and
  only on topics it is declared to consume (its dead-letter topics exist only for those).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from shared.kernel.events.catalog import BY_TYPE, EVENT_TYPES
from shared.kernel.events.envelope import CloudEvent, EventPayload
from shared.kernel.events.examples import EXAMPLES
from shared.kernel.events.schema_export import SCHEMA_DIR
from shared.kernel.events.topics import CONSUMED_BY

# architecture.md "consumes": the event types each service must act on.
MUST_HANDLE: dict[str, set[str]] = {
    "intake": {
        "cn.sme.review.opened.v1",
        "cn.sme.review.decided.v1",
        "cn.sme.review.closed.v1",
        "cn.sme.publicity.started.v1",
        "cn.sme.registration.issued.v1",
        "cn.sme.registration.revoked.v1",
    },
    "review": {
        "cn.sme.policy.updated.v1",
        "cn.sme.application.submitted.v1",
        "cn.sme.application.withdrawn.v1",
        "cn.sme.case.filed.v1",
        "cn.sme.case.accepted.v1",
        "cn.sme.case.concluded.v1",
        "cn.sme.revocation.decided.v1",
        "cn.sme.credit.recorded.v1",
    },
    "supervision": {
        "cn.sme.policy.updated.v1",
        "cn.sme.spotcheck.failed.v1",
        "cn.sme.registration.issued.v1",
        "cn.sme.registration.revoked.v1",
        "cn.sme.registration.changed.v1",
        "cn.sme.publicity.started.v1",
        "cn.samr.listing.added.v1",
        "cn.samr.listing.removed.v1",
        "cn.tax.violation.recorded.v1",
        "cn.gov.incident.recorded.v1",
    },
    "tracking": {
        "cn.sme.policy.updated.v1",
        "cn.sme.registration.issued.v1",
        "cn.sme.registration.revoked.v1",
    },
}


def test_every_catalogued_type_has_an_example_here() -> None:
    assert set(EXAMPLES) == set(BY_TYPE)


@pytest.mark.parametrize("payload_cls", EVENT_TYPES, ids=lambda c: c.event_type)
def test_an_event_of_each_type_validates_against_its_committed_schema(
    payload_cls: type[EventPayload],
) -> None:
    payload = payload_cls.model_validate(EXAMPLES[payload_cls.event_type])
    event = CloudEvent.wrap(payload, source="/sme/contract-test")
    wire = json.loads(event.to_json_bytes())
    envelope_schema = json.loads((SCHEMA_DIR / "cloudevent.json").read_text())
    data_schema = json.loads((SCHEMA_DIR / f"{payload_cls.event_type}.json").read_text())
    jsonschema.validate(wire, envelope_schema)
    jsonschema.validate(wire["data"], data_schema)
    assert wire["subject"] == payload.partition_key()
    assert wire["time"].endswith("Z")


def test_no_outbound_event_schema_names_personal_contact_fields() -> None:
    # The form snapshot in application.submitted goes to review only (an internal consumer);
    # every other event must not carry a person's name, phone or e-mail.
    for path in Path(SCHEMA_DIR).glob("*.json"):
        if path.name in ("cn.sme.application.submitted.v1.json", "cn.sme.policy.updated.v1.json"):
            continue
        text = path.read_text()
        for field in ('"phone"', '"email"', '"contact"', '"filer"'):
            assert field not in text, f"{path.name} has {field}"


def _registry(service: str) -> Any:
    import importlib
    from unittest.mock import MagicMock

    from shared.platform.runtime import ServiceRuntime

    bootstrap = importlib.import_module(f"{service}.bootstrap")
    # Only the wiring is inspected: handlers are registered (each parameter answered by a
    # dependency of the runtime, by name), none is called.
    runtime = MagicMock(name="runtime")
    runtime.handler_dependencies = lambda: ServiceRuntime.handler_dependencies(runtime)
    return bootstrap.SPEC.handlers(runtime)


@pytest.mark.parametrize("service", sorted(MUST_HANDLE))
def test_every_service_handles_the_events_it_is_responsible_for(service: str) -> None:
    handled = set(_registry(service).event_types())
    assert MUST_HANDLE[service] <= handled, MUST_HANDLE[service] - handled


@pytest.mark.parametrize("service", sorted(MUST_HANDLE))
def test_services_subscribe_only_to_topics_declared_for_them(service: str) -> None:
    assert set(_registry(service).topics()) <= set(CONSUMED_BY[service])
