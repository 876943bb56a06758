"""Obligations from registration events, and who sees them (real PostgreSQL)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import pytest

from localdev.testing import Tokens

if TYPE_CHECKING:
    from conftest import Tracking

pytestmark = pytest.mark.integration


async def obligations(tracking: Tracking, headers: dict[str, str], **params: Any) -> list[Any]:
    response = await tracking.http.get("/api/v1/obligations", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def quarters(items: list[dict[str, Any]]) -> list[tuple[int, int, str, str]]:
    return sorted((i["year"], i["quarter"], i["due_on"], i["state"]) for i in items)


async def test_a_registration_owes_every_quarter_from_its_own_to_the_end_of_validity(
    tracking: Tracking, tokens: Tokens
) -> None:
    uscc = tracking.uscc(1)
    await tracking.register(uscc, registered_on=date(2026, 1, 10))
    items = await obligations(tracking, tokens.enterprise(uscc))
    assert quarters(items) == [
        (2026, 1, "2026-04-15", "due"),
        (2026, 2, "2026-07-15", "due"),
        (2026, 3, "2026-10-15", "due"),
        (2026, 4, "2027-01-15", "due"),
    ]
    assert {i["agency"] for i in items} == {"150100"}
    assert all(not i["due_on_provisional"] for i in items)


async def test_registration_on_the_last_day_of_a_quarter_owes_that_quarter(
    tracking: Tracking, tokens: Tokens
) -> None:
    uscc = tracking.uscc(2)
    await tracking.register(uscc, registered_on=date(2026, 9, 30))
    items = await obligations(tracking, tokens.enterprise(uscc))
    assert [(i[0], i[1]) for i in quarters(items)] == [(2026, 3), (2026, 4)]


async def test_a_registration_valid_to_mid_quarter_does_not_owe_that_quarter(
    tracking: Tracking, tokens: Tokens
) -> None:
    uscc = tracking.uscc(3)
    await tracking.register(uscc, registered_on=date(2026, 2, 1), valid_until=date(2026, 8, 31))
    items = await obligations(tracking, tokens.enterprise(uscc))
    assert [(i[0], i[1]) for i in quarters(items)] == [(2026, 1), (2026, 2)]


async def test_a_redelivered_registration_creates_nothing_twice(
    tracking: Tracking, tokens: Tokens
) -> None:
    uscc = tracking.uscc(4)
    number = await tracking.register(uscc)
    await tracking.register(uscc, number=number)
    assert len(await obligations(tracking, tokens.enterprise(uscc))) == 4


async def test_revocation_mid_quarter_cancels_that_quarter_and_the_later_ones(
    tracking: Tracking, tokens: Tokens
) -> None:
    uscc = tracking.uscc(5)
    number = await tracking.register(uscc)
    await tracking.revoke(uscc, number, date(2026, 5, 20))
    items = await obligations(tracking, tokens.enterprise(uscc))
    assert [(i[0], i[1]) for i in quarters(items)] == [(2026, 1)]


async def test_revocation_on_a_quarter_end_keeps_that_quarter(
    tracking: Tracking, tokens: Tokens
) -> None:
    uscc = tracking.uscc(6)
    number = await tracking.register(uscc)
    await tracking.revoke(uscc, number, date(2026, 6, 30))
    items = await obligations(tracking, tokens.enterprise(uscc))
    assert [(i[0], i[1]) for i in quarters(items)] == [(2026, 1), (2026, 2)]


async def test_a_revocation_replayed_before_its_registration_still_limits_the_quarters(
    tracking: Tracking, tokens: Tokens
) -> None:
    uscc = tracking.uscc(7)
    number = "20261501050000077"
    await tracking.revoke(uscc, number, date(2026, 3, 31))
    await tracking.register(uscc, number=number)
    items = await obligations(tracking, tokens.enterprise(uscc))
    assert [(i[0], i[1]) for i in quarters(items)] == [(2026, 1)]


async def test_each_role_sees_its_own_scope(tracking: Tracking, tokens: Tokens) -> None:
    hohhot, baotou = tracking.uscc(10), tracking.uscc(11)
    await tracking.register(hohhot, agency="150100", region_code="150105")
    await tracking.register(baotou, agency="150200", region_code="150203")

    assert {i["uscc"] for i in await obligations(tracking, tokens.enterprise(hohhot))} == {hohhot}
    assert {i["uscc"] for i in await obligations(tracking, tokens.agency("150100"))} == {hohhot}
    assert {i["uscc"] for i in await obligations(tracking, tokens.agency("150200"))} == {baotou}
    assert await obligations(tracking, tokens.agency("150300")) == []
    everyone = await obligations(tracking, tokens.province())
    assert {i["uscc"] for i in everyone} == {hohhot, baotou}


async def test_external_systems_may_not_list_obligations(
    tracking: Tracking, tokens: Tokens
) -> None:
    response = await tracking.http.get("/api/v1/obligations", headers=tokens.external())
    assert response.status_code == 403
    anonymous = await tracking.http.get("/api/v1/obligations")
    assert anonymous.status_code == 401


async def test_filters_and_pages_walk_the_whole_list(tracking: Tracking, tokens: Tokens) -> None:
    for n in range(20, 25):
        await tracking.register(tracking.uscc(n))
    q2 = await obligations(tracking, tokens.province(), year=2026, quarter=2, state="due")
    assert len(q2) == 5
    assert {i["quarter"] for i in q2} == {2}

    seen: list[tuple[str, int]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        response = await tracking.http.get(
            "/api/v1/obligations", params=params, headers=tokens.agency("150100")
        )
        body = response.json()
        seen += [(i["uscc"], i["quarter"]) for i in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 20


async def test_bad_filters_are_422_with_the_parameter_named(
    tracking: Tracking, tokens: Tokens
) -> None:
    response = await tracking.http.get(
        "/api/v1/obligations", params={"quarter": 5, "state": "lost"}, headers=tokens.province()
    )
    assert response.status_code == 422
    locs = [d["loc"] for d in response.json()["error"]["details"]]
    assert ["query", "quarter"] in locs
    assert ["query", "state"] in locs
