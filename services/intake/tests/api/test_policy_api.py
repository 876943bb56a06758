"""GET/PUT /api/v1/policy/{year}: public reading, provincial versioned replacement."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from localdev.testing import Tokens

pytestmark = pytest.mark.integration

UPDATED = "cn.sme.policy.updated.v1"


async def read(client: httpx.AsyncClient, year: int = 2026) -> dict[str, Any]:
    response = await client.get(f"/api/v1/policy/{year}")
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


async def test_anyone_reads_the_policy_of_a_year(client: httpx.AsyncClient) -> None:
    document = await read(client)
    assert document["year"] == 2026
    assert document["version"] == 1
    assert document["window"] == {
        "opens_on": "2026-03-01",
        "closes_on": "2026-12-31",
        "year_closes_on": "2026-12-31",  # contract § Round 2 "Year close"
        "resubmission_closes_on": "2027-01-28",
    }
    assert document["scoring"]["pass_score"] == 60
    assert document["publicity"]["working_days"] == 10
    years = (await client.get("/api/v1/policy")).json()["years"]
    assert {2022, 2023, 2024, 2025, 2026} <= set(years)


async def test_unknown_and_impossible_years(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/policy/2019")).status_code == 404
    assert (await client.get("/api/v1/policy/1990")).status_code == 422


async def test_a_round_trip_get_edit_put_makes_a_new_version_everywhere(
    client: httpx.AsyncClient, tokens: Tokens, emitted: Any, audit: Any
) -> None:
    document = await read(client)
    document["window"]["closes_on"] = "2026-10-20"
    response = await client.put("/api/v1/policy/2026", json=document, headers=tokens.province())
    assert response.status_code == 200, response.text
    saved = response.json()
    assert saved["version"] == 2
    assert saved["window"]["closes_on"] == "2026-10-20"
    assert await read(client) == saved

    [event] = await emitted.envelopes(UPDATED)
    assert event["data"]["year"] == 2026
    assert event["data"]["version"] == 2
    assert event["data"]["policy"] == saved
    [record] = await audit.records("policy.update")
    assert record["before"]["window"]["closes_on"] == "2026-12-31"
    assert record["after"]["window"]["closes_on"] == "2026-10-20"
    assert record["actor_role"] == "province"


async def test_editing_a_stale_version_is_a_conflict(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    original = await read(client)
    first, second = copy.deepcopy(original), copy.deepcopy(original)
    first["review"]["deadline_working_days"] = 15
    second["publicity"]["working_days"] = 7
    ok = await client.put("/api/v1/policy/2026", json=first, headers=tokens.province())
    assert ok.status_code == 200
    stale = await client.put("/api/v1/policy/2026", json=second, headers=tokens.province())
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["code"] == "policy_version_conflict"
    assert error["details"][0]["loc"] == ["body", "version"]
    assert (await read(client))["publicity"]["working_days"] == 10


async def test_the_path_year_must_be_the_document_year(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    document = await read(client, 2025)
    response = await client.put("/api/v1/policy/2026", json=document, headers=tokens.province())
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"] == ["body", "year"]


@pytest.mark.parametrize(
    ("edit", "loc"),
    [
        (lambda d: d["scoring"].update(pass_score="sixty"), ["body", "scoring", "pass_score"]),
        (lambda d: d["scoring"].update(pass_scroe=60), ["body", "scoring", "pass_scroe"]),
        (lambda d: d["window"].update(opens_on="2026-13-01"), ["body", "window", "opens_on"]),
        (lambda d: d.pop("publicity"), ["body", "publicity"]),
        (
            lambda d: d["eligibility"]["size_limits"].update(employees_max=-1),
            ["body", "eligibility", "size_limits", "employees_max"],
        ),
    ],
)
async def test_an_invalid_policy_is_refused_with_its_field_path(
    client: httpx.AsyncClient, tokens: Tokens, emitted: Any, edit: Any, loc: list[str]
) -> None:
    document = await read(client)
    edit(document)
    response = await client.put("/api/v1/policy/2026", json=document, headers=tokens.province())
    assert response.status_code == 422, response.text
    details = response.json()["error"]["details"]
    assert loc in [d["loc"][: len(loc)] for d in details]
    assert all(d["msg"] and d["msg_en"] for d in details)
    assert await emitted.envelopes(UPDATED) == []


async def test_a_policy_body_that_is_not_an_object_is_refused(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    response = await client.put("/api/v1/policy/2026", json=[1, 2], headers=tokens.province())
    assert response.status_code == 422


async def test_a_new_year_can_be_introduced_as_version_one(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    document = await read(client)
    document.update(year=2027, version=1)
    document["window"] = {"opens_on": "2027-06-01", "closes_on": "2027-10-20"}
    response = await client.put("/api/v1/policy/2027", json=document, headers=tokens.province())
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 1
    assert (await read(client, 2027))["window"]["closes_on"] == "2027-10-20"


async def test_only_the_province_replaces_a_policy(
    client: httpx.AsyncClient, tokens: Tokens, uscc_of: Any
) -> None:
    document = await read(client)
    for headers in (tokens.enterprise(uscc_of(80)), tokens.agency("150100"), tokens.external()):
        response = await client.put("/api/v1/policy/2026", json=document, headers=headers)
        assert response.status_code == 403
    assert (await client.put("/api/v1/policy/2026", json=document)).status_code == 401


async def test_a_changed_threshold_changes_the_score_and_the_recorded_version(
    client: httpx.AsyncClient, tokens: Tokens, filing: Any, emitted: Any
) -> None:
    # Worked example of domain.md with a third Class II item: exactly 60 points.
    sixty = {
        "personnel": {"employees_total": 100, "st_personnel": 22},
        "finance": {
            "sales_revenue": "10000000.00",
            "total_assets": "8000000.00",
            "cost_expense_total": "9000000.00",
            "rd_expense_total": "450000.00",
        },
        "fast_track": [],
        "ip": [
            {
                "kind": "software_copyright",
                "number": f"2023SR00000{i}",
                "granted_on": "2023-05-01",
                "valid_until": None,
                "related_to_main_product": True,
                "disputed": False,
            }
            for i in range(3)
        ],
    }
    draft = await filing.create(81, sixty)
    assert draft["self_evaluation"]["eligible"] is True

    document = await read(client)
    document["scoring"]["pass_score"] = 70
    put = await client.put("/api/v1/policy/2026", json=document, headers=tokens.province())
    assert put.status_code == 200

    refused = await client.post(
        f"/api/v1/applications/{draft['id']}/submit", headers=filing.as_enterprise(81)
    )
    assert refused.status_code == 422
    preview = await client.post("/api/v1/evaluations/preview", json=filing.form_of(81, sixty))
    assert preview.json()["eligible"] is False
    assert preview.json()["policy_version"] == 2

    document = await read(client)
    document["scoring"]["pass_score"] = 60
    await client.put("/api/v1/policy/2026", json=document, headers=tokens.province())
    submitted = await filing.submit(draft, 81)
    assert submitted["policy_version"] == 3
    assert submitted["self_evaluation"]["policy_version"] == 3
    [event] = await emitted.envelopes("cn.sme.application.submitted.v1")
    assert event["data"]["policy_version"] == 3
