"""A realistic example of every event type's data, for the AsyncAPI document (one example per
message) and the contract tests: one copy of each.

Deterministic (fixed ids and times), so that the generated AsyncAPI document is stable.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from shared.kernel.evaluation.engine import evaluate
from shared.kernel.evaluation.samples import sample_form
from shared.kernel.events.envelope import EventPayload, encode_event, source_of
from shared.kernel.policy.loader import shipped_policy

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
        "application_id": "0f8d2c4e-5b6a-4c1d-9e7f-2a3b4c5d6e70",
        "year": 2026,
        "uscc": USCC,
        "form": FORM,
        "self_evaluation": SELF_EVALUATION,
        "submitted_at": datetime(2026, 6, 1, tzinfo=UTC),
    },
    "cn.sme.application.withdrawn.v1": {
        "application_id": "0f8d2c4e-5b6a-4c1d-9e7f-2a3b4c5d6e70",
        "year": 2026,
        "uscc": USCC,
    },
    "cn.sme.application.closed.v1": {
        "application_id": "0f8d2c4e-5b6a-4c1d-9e7f-2a3b4c5d6e70",
        "year": 2026,
        "uscc": USCC,
        "reason": "year_closed",
        "closed_at": datetime(2027, 1, 1, tzinfo=UTC),
    },
    "cn.sme.review.opened.v1": {
        "case_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
        "application_id": "0f8d2c4e-5b6a-4c1d-9e7f-2a3b4c5d6e70",
        "year": 2026,
        "uscc": USCC,
        "agency": "150100",
        "opened_at": datetime(2026, 6, 1, tzinfo=UTC),
    },
    "cn.sme.review.closed.v1": {
        "case_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
        "application_id": "0f8d2c4e-5b6a-4c1d-9e7f-2a3b4c5d6e70",
        "year": 2026,
        "uscc": USCC,
        "agency": "150100",
        "reason": "year_closed",
        "closed_at": datetime(2027, 1, 1, tzinfo=UTC),
    },
    "cn.sme.review.decided.v1": {
        "case_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
        "application_id": "0f8d2c4e-5b6a-4c1d-9e7f-2a3b4c5d6e70",
        "year": 2026,
        "uscc": USCC,
        "decision": "return",
        "reason": "补充材料",
        "agency": "150100",
    },
    "cn.sme.spotcheck.failed.v1": {
        "spot_check_id": "e2d4f6a8-1b3c-4e5d-8f7a-9b0c1d2e3f43",
        "number": "2026150105A0000001",
        "uscc": USCC,
        "year": 2026,
        "agency": "150100",
    },
    "cn.sme.publicity.started.v1": {
        "batch_id": "3d6f0a52-8e1b-4f4c-b2a9-6c7d8e9f0a11",
        "year": 2026,
        "starts_on": date(2026, 9, 1),
        "ends_on": date(2026, 9, 15),
        "entries": [{"uscc": USCC, "name": "内蒙古示例科技有限公司", "agency": "150100"}],
    },
    "cn.sme.publicity.announced.v1": {
        "batch_id": "3d6f0a52-8e1b-4f4c-b2a9-6c7d8e9f0a11",
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
    "cn.sme.registration.changed.v1": {
        "change_id": "3b1f2a9c-6d4e-4f80-a1b2-c3d4e5f60718",
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
    "cn.sme.case.filed.v1": {
        "case_id": "b5a1c3d2-9f8e-4d7c-a6b5-4c3d2e1f0a92",
        "kind": "objection",
        "uscc": USCC,
        "batch_id": "3d6f0a52-8e1b-4f4c-b2a9-6c7d8e9f0a11",
    },
    "cn.sme.case.accepted.v1": {
        "case_id": "b5a1c3d2-9f8e-4d7c-a6b5-4c3d2e1f0a92",
        "kind": "objection",
        "uscc": USCC,
        "batch_id": "3d6f0a52-8e1b-4f4c-b2a9-6c7d8e9f0a11",
        "accepted": True,
    },
    "cn.sme.case.concluded.v1": {
        "case_id": "b5a1c3d2-9f8e-4d7c-a6b5-4c3d2e1f0a92",
        "kind": "objection",
        "uscc": USCC,
        "batch_id": "3d6f0a52-8e1b-4f4c-b2a9-6c7d8e9f0a11",
        "finding": "unsubstantiated",
    },
    "cn.sme.revocation.notified.v1": {
        "revocation_id": "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d",
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


# Which service publishes each type (the `source`); inbound types name a sample publisher.
_EXTERNAL_SOURCES = {
    "cn.samr": "/cn/samr/listing-system",
    "cn.tax": "/cn/chinatax/credit-system",
    "cn.gov": "/cn/gov/incident-system",
}
_PUBLISHERS = {
    "policy": "intake",
    "application": "intake",
    "review": "review",
    "spotcheck": "review",
    "publicity": "review",
    "registration": "review",
    "case": "supervision",
    "revocation": "supervision",
    "credit": "supervision",
    "tracking": "tracking",
}


def example_source(event_type: str) -> str:
    family = ".".join(event_type.split(".")[:2])
    if family in _EXTERNAL_SOURCES:
        return _EXTERNAL_SOURCES[family]
    return source_of(_PUBLISHERS.get(event_type.split(".")[2], "intake"))


def example_payload(payload_cls: type[EventPayload]) -> EventPayload:
    if payload_cls.event_type not in EXAMPLES:
        # Every type in the catalog is documented with an example (AsyncAPI, contract tests).
        raise LookupError(
            f"no example for {payload_cls.event_type}: add one to EXAMPLES in {__file__}"
        )
    return payload_cls.model_validate(EXAMPLES[payload_cls.event_type])


def example_envelope(payload_cls: type[EventPayload]) -> tuple[EventPayload, bytes]:
    """(payload, wire bytes of its structured-mode CloudEvent) with a fixed id and time."""
    payload = example_payload(payload_cls)
    event_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:sme:example:{payload_cls.event_type}"))
    _, wire = encode_event(
        payload,
        source=example_source(payload_cls.event_type),
        event_id=event_id,
        time=datetime(2026, 9, 20, 2, 30, tzinfo=UTC),
    )
    return payload, wire
