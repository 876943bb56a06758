"""The credit archive from other agencies' events, and GET /api/v1/credit/{uscc}."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest

from localdev.testing import Tokens
from shared.kernel.codes.uscc import with_check_digit
from shared.kernel.events.payloads.external import (
    IncidentRecorded,
    MarketListingAdded,
    MarketListingRemoved,
    TaxViolationRecorded,
)
from supervision.domain.errors import InvalidCreditInterval

pytestmark = pytest.mark.integration

ENTERPRISE = with_check_digit("91150105MA0000021")


def listed(**changes: Any) -> MarketListingAdded:
    data: dict[str, Any] = {
        "uscc": ENTERPRISE,
        "list": "abnormal_operation",
        "starts_on": date(2026, 3, 1),
        "reason": "未按期公示年度报告",
    }
    data.update(changes)
    return MarketListingAdded(**data)


async def archive(client: httpx.AsyncClient, tokens: Tokens) -> list[dict[str, Any]]:
    response = await client.get(f"/api/v1/credit/{ENTERPRISE}", headers=tokens.province())
    assert response.status_code == 200, response.text
    assert response.json()["uscc"] == ENTERPRISE
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_a_listing_becomes_an_open_entry_and_is_published(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any, outbox_events: Any
) -> None:
    await deliver(listed())
    [entry] = await archive(client, tokens)
    assert entry["kind"] == "abnormal_operation"
    assert entry["source"] == "market_supervision"
    assert entry["starts_on"] == "2026-03-01"
    assert entry["ends_on"] is None
    assert entry["active"] is True
    assert entry["reason"] == "未按期公示年度报告"
    [event] = await outbox_events("cn.sme.credit.recorded.v1")
    assert event["data"] == {
        "uscc": ENTERPRISE,
        "kind": "abnormal_operation",
        "source": "market_supervision",
        "starts_on": "2026-03-01",
        "ends_on": None,
        "entry_id": entry["entry_id"],
        "detail": None,
        "reason": "未按期公示年度报告",
    }
    assert event["_topic"] == "sme.credit.v1"
    assert event["_key"] == ENTERPRISE


async def test_removal_closes_the_interval_and_keeps_the_history(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any, outbox_events: Any
) -> None:
    await deliver(listed())
    await deliver(
        MarketListingRemoved(
            uscc=ENTERPRISE,
            list="abnormal_operation",
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 9, 30),
        )
    )
    [entry] = await archive(client, tokens)
    assert entry["ends_on"] == "2026-09-30"
    assert entry["active"] is False
    first, closed = await outbox_events("cn.sme.credit.recorded.v1")
    assert closed["data"]["entry_id"] == first["data"]["entry_id"]
    assert closed["data"]["ends_on"] == "2026-09-30"
    assert closed["data"]["starts_on"] == "2026-03-01"


async def test_a_repeated_listing_or_removal_changes_nothing(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any, outbox_events: Any
) -> None:
    removal = MarketListingRemoved(
        uscc=ENTERPRISE, list="abnormal_operation", starts_on=date(2026, 3, 1), ends_on=None
    )
    await deliver(listed())
    await deliver(listed())
    await deliver(removal, at=datetime(2026, 10, 8, 2, 0, tzinfo=UTC))
    await deliver(removal, at=datetime(2026, 10, 20, 2, 0, tzinfo=UTC))
    [entry] = await archive(client, tokens)
    # Without an end date in the event, the removal day is the day it was published.
    assert entry["ends_on"] == "2026-10-08"
    assert len(await outbox_events("cn.sme.credit.recorded.v1")) == 2


async def test_a_removal_for_an_unseen_start_closes_the_open_listing(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any
) -> None:
    await deliver(listed())
    await deliver(
        MarketListingRemoved(
            uscc=ENTERPRISE,
            list="abnormal_operation",
            starts_on=date(2026, 3, 2),
            ends_on=date(2026, 6, 1),
        )
    )
    [entry] = await archive(client, tokens)
    assert entry["starts_on"] == "2026-03-01"
    assert entry["ends_on"] == "2026-06-01"


async def test_a_removal_of_a_listing_never_seen_is_recorded_as_a_closed_entry(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any
) -> None:
    await deliver(
        MarketListingRemoved(
            uscc=ENTERPRISE,
            list="serious_dishonesty",
            starts_on=date(2025, 5, 1),
            ends_on=date(2026, 5, 1),
        )
    )
    [entry] = await archive(client, tokens)
    assert entry["kind"] == "serious_dishonesty"
    assert (entry["starts_on"], entry["ends_on"]) == ("2025-05-01", "2026-05-01")


async def test_a_removal_dated_before_its_listing_is_refused(deliver: Any) -> None:
    with pytest.raises(InvalidCreditInterval):
        await deliver(
            MarketListingRemoved(
                uscc=ENTERPRISE,
                list="abnormal_operation",
                starts_on=date(2026, 3, 1),
                ends_on=date(2026, 2, 1),
            )
        )


async def test_tax_violations_and_incidents_are_archived(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any
) -> None:
    await deliver(
        TaxViolationRecorded(
            uscc=ENTERPRISE, kind="major_tax_violation", decided_on=date(2026, 4, 2)
        )
    )
    await deliver(IncidentRecorded(uscc=ENTERPRISE, kind="safety", occurred_on=date(2026, 5, 3)))
    await deliver(
        IncidentRecorded(uscc=ENTERPRISE, kind="research_misconduct", occurred_on=date(2026, 6, 4))
    )
    entries = await archive(client, tokens)
    assert [(e["kind"], e["source"], e["detail"]) for e in entries] == [
        ("research_misconduct", "incident_authority", None),
        ("major_incident", "incident_authority", "safety"),
        ("major_tax_violation", "tax", "major_tax_violation"),
    ]


async def test_who_may_read_the_archive(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any
) -> None:
    await deliver(listed())
    url = f"/api/v1/credit/{ENTERPRISE}"
    for allowed in (tokens.agency("150200"), tokens.province(), tokens.external()):
        assert (await client.get(url, headers=allowed)).status_code == 200
    assert (await client.get(url, headers=tokens.enterprise(ENTERPRISE))).status_code == 403
    assert (await client.get(url)).status_code == 401
    bad = await client.get("/api/v1/credit/not-a-code", headers=tokens.province())
    assert bad.status_code == 422


async def test_incidents_and_tax_decisions_are_one_day_entries(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any, outbox_events: Any
) -> None:
    # Not "still listed": an incident counts for the years around its day, not for ever.
    await deliver(IncidentRecorded(uscc=ENTERPRISE, kind="safety", occurred_on=date(2024, 5, 3)))
    await deliver(
        TaxViolationRecorded(
            uscc=ENTERPRISE, kind="major_tax_violation", decided_on=date(2024, 4, 2)
        )
    )
    entries = await archive(client, tokens)
    assert [(e["starts_on"], e["ends_on"]) for e in entries] == [
        ("2024-05-03", "2024-05-03"),
        ("2024-04-02", "2024-04-02"),
    ]
    events = await outbox_events("cn.sme.credit.recorded.v1")
    assert [(e["data"]["starts_on"], e["data"]["ends_on"]) for e in events] == [
        ("2024-05-03", "2024-05-03"),
        ("2024-04-02", "2024-04-02"),
    ]
