"""Quarterly tracking end to end: registration events through Kafka, the API through the
gateway, tracking's own events back on Kafka.

Review (which emits `RegistrationIssued` on announce) is not needed: the tests publish the
registration CloudEvents to the registration topic exactly as review's relay would.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import httpx
import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from localdev.stack import Stack
from localdev.testing import Tokens
from shared.kernel.calendar.clock import SystemClock
from shared.kernel.events.envelope import CloudEvent, EventPayload
from shared.kernel.events.payloads.review import RegistrationIssued, RegistrationRevoked
from tracking.domain.samples import sample_report

from .helpers import eventually, new_uscc

pytestmark = pytest.mark.e2e

SUBMITTED = "cn.sme.tracking.submitted.v1"
OVERDUE = "cn.sme.tracking.overdue.v1"


async def publish(stack: Stack, payload: EventPayload) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=stack.infra.bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(
            stack.topic_prefix + payload.topic,
            CloudEvent.wrap(payload, source="/sme/review").to_json_bytes(),
            key=payload.partition_key().encode(),
        )
    finally:
        await producer.stop()


def issued(uscc: str, year: int, registered_on: date, valid_until: date) -> RegistrationIssued:
    return RegistrationIssued(
        number=f"{year}150105A{uscc[-7:]}",
        uscc=uscc,
        year=year,
        region_code="150105",
        agency="150100",
        valid_until=valid_until,
        registered_on=registered_on,
        enterprise_name=f"内蒙古测试企业{uscc[-6:]}有限公司",
        industry_code="I6513",
    )


async def tracking_events(
    stack: Stack, uscc: str, until: Any, timeout: float = 60.0
) -> list[dict[str, Any]]:
    """The tracking topic's events about `uscc`, read until `until(events)` holds."""
    consumer = AIOKafkaConsumer(
        stack.topic_prefix + "sme.tracking.v1",
        bootstrap_servers=stack.infra.bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    events: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for messages in batch.values():
                for message in messages:
                    if message.key == uscc.encode():
                        events.append(orjson.loads(message.value))
            if until(events):
                return events
    finally:
        await consumer.stop()
    raise AssertionError(f"timed out waiting for tracking events of {uscc}; got {events!r}")


def obligations(client: httpx.Client, tokens: Tokens, uscc: str) -> list[dict[str, Any]]:
    response = client.get("/api/v1/obligations", headers=tokens.enterprise(uscc))
    assert response.status_code == 200, response.text
    return sorted(response.json()["items"], key=lambda i: (i["year"], i["quarter"]))


@pytest.fixture
def client(stack: Stack) -> httpx.Client:
    return httpx.Client(base_url=stack.gateway_url, timeout=30)


async def test_registration_creates_obligations_and_a_timely_report_is_submitted(
    stack: Stack, tokens: Tokens, client: httpx.Client
) -> None:
    uscc = new_uscc("150105")
    today = SystemClock().today()  # the date in China, as the services count it
    # Registered in the running quarter: its report is due after the quarter ends.
    await publish(stack, issued(uscc, today.year, today, date(today.year, 12, 31)))
    owed = eventually(lambda: obligations(client, tokens, uscc), what="obligations")
    quarter = (today.month - 1) // 3 + 1
    assert [(o["year"], o["quarter"], o["state"]) for o in owed] == [
        (today.year, q, "due") for q in range(quarter, 5)
    ]
    agency_view = client.get("/api/v1/obligations", headers=tokens.agency("150100")).json()
    assert uscc in {o["uscc"] for o in agency_view["items"]}

    response = client.put(
        f"/api/v1/quarterly-reports/{today.year}/{quarter}",
        json=sample_report(needs=[{"category": "talent", "text": "需要研发人员"}]),
        headers=tokens.enterprise(uscc),
    )
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "submitted"
    assert obligations(client, tokens, uscc)[0]["state"] == "submitted"

    events = await tracking_events(stack, uscc, lambda es: any(e["type"] == SUBMITTED for e in es))
    (event,) = [e for e in events if e["type"] == SUBMITTED]
    assert event["source"] == "/sme/tracking"
    assert event["data"]["quarter"] == quarter
    assert event["data"]["late"] is False


async def test_a_past_quarter_without_report_is_overdue_once_however_often_detection_runs(
    stack: Stack, tokens: Tokens, client: httpx.Client
) -> None:
    uscc = new_uscc("150105")
    # Q4 2025 was due on 2026-01-15: already past.
    await publish(stack, issued(uscc, 2025, date(2025, 11, 10), date(2025, 12, 31)))
    eventually(lambda: obligations(client, tokens, uscc), what="the Q4 2025 obligation")

    for _ in range(2):
        run = client.post("/api/v1/tracking/overdue-detection", headers=tokens.province())
        assert run.status_code == 200, run.text
    (obligation,) = obligations(client, tokens, uscc)
    assert (obligation["year"], obligation["quarter"], obligation["state"]) == (2025, 4, "overdue")

    # A late report afterwards: its event follows any overdue event of this enterprise on
    # the same partition, so once it is read every overdue event has been read too.
    late = client.put(
        "/api/v1/quarterly-reports/2025/4", json=sample_report(), headers=tokens.enterprise(uscc)
    )
    assert late.status_code == 200, late.text
    assert late.json()["state"] == "late"
    events = await tracking_events(stack, uscc, lambda es: any(e["type"] == SUBMITTED for e in es))
    overdue = [e for e in events if e["type"] == OVERDUE]
    assert len(overdue) == 1
    assert overdue[0]["data"] == {
        "uscc": uscc,
        "year": 2025,
        "quarter": 4,
        "late": True,
        "due_on": "2026-01-15",
        "agency": "150100",
        "registration_number": f"2025150105A{uscc[-7:]}",
    }
    assert [e["data"]["late"] for e in events if e["type"] == SUBMITTED] == [True]


async def test_revocation_takes_away_the_later_obligations(
    stack: Stack, tokens: Tokens, client: httpx.Client
) -> None:
    uscc = new_uscc("150105")
    registration = issued(uscc, 2026, date(2026, 1, 10), date(2026, 12, 31))
    await publish(stack, registration)
    eventually(lambda: len(obligations(client, tokens, uscc)) == 4, what="four obligations")

    await publish(
        stack,
        RegistrationRevoked(
            number=registration.number,
            uscc=uscc,
            year=2026,
            ground="failed_spot_check",
            revoked_on=date(2026, 5, 20),
        ),
    )

    def only_one_left() -> list[dict[str, Any]] | None:
        owed = obligations(client, tokens, uscc)
        return owed if len(owed) == 1 else None

    remaining = eventually(only_one_left, what="the quarters after the revocation gone")
    assert [(o["year"], o["quarter"]) for o in remaining] == [(2026, 1)]
