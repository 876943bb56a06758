"""The event contract other agencies and our own services build against.

- every event type of the catalog has its committed JSON Schema, and a real instance of each
  validates against it;
- every service handles the event types it is responsible for (architecture.md table), and
  only on topics it is declared to consume (its dead-letter topics exist only for those).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from shared.evaluation.engine import evaluate
from shared.evaluation.samples import sample_form
from shared.events.catalog import BY_TYPE, EVENT_TYPES
from shared.events.envelope import CloudEvent, EventPayload
from shared.events.schema_export import SCHEMA_DIR
from shared.events.topics import CONSUMED_BY
from shared.policy.loader import shipped_policy

USCC = "91150105MA0Q4XXXXA"
FORM = sample_form()
SELF_EVALUATION = evaluate(FORM, shipped_policy(2026), date(2026, 6, 1))

EXAMPLES: dict[str, dict[str, Any]] = {
    "cn.sme.policy.updated.v1": {
        "year": 2026,
        "version": 2,
        "policy": shipped_policy(2026).to_document(),
    },
    "cn.sme.application.submitted.v1": {
        "application_id": "a1",
        "year": 2026,
        "uscc": USCC,
        "form": FORM,
        "self_evaluation": SELF_EVALUATION,
        "submitted_at": datetime(2026, 6, 1, tzinfo=UTC),
    },
    "cn.sme.application.withdrawn.v1": {"application_id": "a1", "year": 2026, "uscc": USCC},
    "cn.sme.application.closed.v1": {
        "application_id": "a1",
        "year": 2026,
        "uscc": USCC,
        "reason": "year_closed",
        "closed_at": datetime(2027, 1, 1, tzinfo=UTC),
    },
    "cn.sme.review.closed.v1": {
        "case_id": "c1",
        "application_id": "a1",
        "year": 2026,
        "uscc": USCC,
        "agency": "150100",
        "reason": "year_closed",
        "closed_at": datetime(2027, 1, 1, tzinfo=UTC),
    },
    "cn.sme.review.opened.v1": {
        "case_id": "c1",
        "application_id": "a1",
        "year": 2026,
        "uscc": USCC,
        "agency": "150100",
        "opened_at": datetime(2026, 6, 1, tzinfo=UTC),
    },
    "cn.sme.review.decided.v1": {
        "case_id": "c1",
        "application_id": "a1",
        "year": 2026,
        "uscc": USCC,
        "decision": "return",
        "reason": "补充材料",
        "agency": "150100",
    },
    "cn.sme.spotcheck.failed.v1": {
        "spot_check_id": "s1",
        "number": "2026150105A0000001",
        "uscc": USCC,
        "year": 2026,
        "agency": "150100",
    },
    "cn.sme.publicity.started.v1": {
        "batch_id": "b1",
        "year": 2026,
        "starts_on": date(2026, 9, 1),
        "ends_on": date(2026, 9, 15),
        "entries": [{"uscc": USCC, "name": "内蒙古示例科技有限公司", "agency": "150100"}],
    },
    "cn.sme.publicity.announced.v1": {
        "batch_id": "b1",
        "year": 2026,
        "registered": [{"uscc": USCC, "number": "2026150105A0000001"}],
        "held": [],
    },
    "cn.sme.registration.issued.v1": {
        "number": "2026150105A0000001",
        "uscc": USCC,
        "year": 2026,
        "region_code": "150105",
        "agency": "150100",
        "valid_until": date(2026, 12, 31),
        "registered_on": date(2026, 9, 20),
    },
    "cn.sme.registration.revoked.v1": {
        "number": "2026150105A0000001",
        "uscc": USCC,
        "year": 2026,
        "ground": "credit_listing",
        "revoked_on": date(2026, 10, 9),
    },
    "cn.sme.case.filed.v1": {"case_id": "k1", "kind": "objection", "uscc": USCC, "batch_id": "b1"},
    "cn.sme.case.accepted.v1": {
        "case_id": "k1",
        "kind": "objection",
        "uscc": USCC,
        "batch_id": "b1",
        "accepted": True,
    },
    "cn.sme.case.concluded.v1": {
        "case_id": "k1",
        "kind": "objection",
        "uscc": USCC,
        "batch_id": "b1",
        "finding": "unsubstantiated",
    },
    "cn.sme.registration.changed.v1": {
        "change_id": "ch1",
        "number": "2026150105A0000001",
        "uscc": USCC,
        "year": 2026,
        "agency": "150100",
        "kind": "name",
        "old_value": "内蒙古示例科技有限公司",
        "new_value": "内蒙古新名科技有限公司",
        "effective_on": date(2026, 9, 1),
        "reported_on": date(2026, 10, 8),
        "late": False,
    },
    "cn.sme.revocation.notified.v1": {
        "revocation_id": "r1",
        "number": "2026150105A0000001",
        "uscc": USCC,
        "year": 2026,
        "ground": "serious_fraud",
        "basis": "伪造审计报告",
        "notified_on": date(2026, 11, 2),
        "statement_due_on": date(2026, 11, 16),
        "agency": "150100",
    },
    "cn.sme.revocation.decided.v1": {
        "number": "2026150105A0000001",
        "uscc": USCC,
        "year": 2026,
        "ground": "credit_listing",
        "basis": "列入严重违法失信名单",
    },
    "cn.sme.credit.recorded.v1": {
        "uscc": USCC,
        "kind": "serious_dishonesty",
        "source": "market_supervision",
        "starts_on": date(2026, 10, 1),
    },
    "cn.sme.tracking.submitted.v1": {"uscc": USCC, "year": 2026, "quarter": 3, "late": False},
    "cn.sme.tracking.overdue.v1": {"uscc": USCC, "year": 2026, "quarter": 3},
    "cn.samr.listing.added.v1": {
        "uscc": USCC,
        "list": "serious_dishonesty",
        "starts_on": date(2026, 10, 1),
        "reason": "虚假登记",
    },
    "cn.samr.listing.removed.v1": {
        "uscc": USCC,
        "list": "abnormal_operation",
        "starts_on": date(2026, 3, 1),
        "ends_on": date(2026, 9, 1),
    },
    "cn.tax.violation.recorded.v1": {
        "uscc": USCC,
        "kind": "major_tax_violation",
        "decided_on": date(2026, 5, 6),
    },
    "cn.gov.incident.recorded.v1": {
        "uscc": USCC,
        "kind": "safety",
        "occurred_on": date(2026, 4, 2),
    },
}

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

    bootstrap = importlib.import_module(f"{service}.bootstrap")
    # Only the wiring is inspected: handlers are registered, none is called.
    return bootstrap.SPEC.handlers(MagicMock(name="runtime"))


@pytest.mark.parametrize("service", sorted(MUST_HANDLE))
def test_every_service_handles_the_events_it_is_responsible_for(service: str) -> None:
    handled = set(_registry(service).event_types())
    assert MUST_HANDLE[service] <= handled, MUST_HANDLE[service] - handled


@pytest.mark.parametrize("service", sorted(MUST_HANDLE))
def test_services_subscribe_only_to_topics_declared_for_them(service: str) -> None:
    assert set(_registry(service).topics()) <= set(CONSUMED_BY[service])
