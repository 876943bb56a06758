"""Year-end spot checks through the API: reproducible sample, results by agency, a failed
check emits `spotcheck.failed` for supervision."""

from __future__ import annotations

import pytest

from localdev.testing import Tokens

from ..conftest import Review, approved_case

pytestmark = pytest.mark.integration

SPOT_CHECKS = "/api/v1/spot-checks"
BATCHES = "/api/v1/publicity-batches"


async def register(review: Review, tokens: Tokens, enterprises: list[tuple[int, str]]) -> None:
    case_ids = [await approved_case(review, tokens, n, region) for n, region in enterprises]
    province = tokens.province()
    batch = (
        await review.http.post(
            BATCHES,
            json={"year": 2026, "case_ids": case_ids, "starts_on": "2026-05-06"},
            headers=province,
        )
    ).json()
    announced = await review.http.post(f"{BATCHES}/{batch['id']}/announce", headers=province)
    assert announced.json()["registered"] == len(enterprises)


async def test_the_sample_is_reproducible_and_covers_every_agency(
    review: Review, tokens: Tokens
) -> None:
    await register(
        review,
        tokens,
        [(n, "150105") for n in range(101, 109)] + [(109, "150203"), (110, "150781")],
    )
    province = tokens.province()
    first = await review.http.post(
        SPOT_CHECKS, json={"year": 2026, "seed": "2026-year-end"}, headers=province
    )
    assert first.status_code == 201, first.text
    body = first.json()
    assert (body["population"], body["ratio"], body["seed"]) == (10, "0.1000", "2026-year-end")
    agencies = {i["agency"] for i in body["items"]}
    assert agencies == {"150100", "150200", "150781"}  # at least one per agency
    again = await review.http.post(
        SPOT_CHECKS, json={"year": 2026, "seed": "2026-year-end"}, headers=province
    )
    assert [i["registration_number"] for i in again.json()["items"]] == [
        i["registration_number"] for i in body["items"]
    ]
    unseeded = (await review.http.post(SPOT_CHECKS, json={"year": 2026}, headers=province)).json()
    assert unseeded["seed"]  # recorded so it can be reproduced
    everyone = await review.http.post(
        SPOT_CHECKS, json={"year": 2026, "ratio": "1"}, headers=province
    )
    assert everyone.json()["sample_size"] == 10


async def test_agencies_record_results_and_a_failure_goes_to_supervision(
    review: Review, tokens: Tokens
) -> None:
    await register(review, tokens, [(111, "150105"), (112, "150203")])
    province = tokens.province()
    check = (
        await review.http.post(SPOT_CHECKS, json={"year": 2026, "ratio": "1"}, headers=province)
    ).json()
    hohhot, baotou = tokens.agency("150100"), tokens.agency("150200")
    seen = (await review.http.get(f"{SPOT_CHECKS}/{check['id']}", headers=hohhot)).json()
    [own] = seen["items"]
    assert own["agency"] == "150100"
    results = f"{SPOT_CHECKS}/{check['id']}/results"
    body = {
        "registration_number": own["registration_number"],
        "result": "failed",
        "notes": "账实不符",
    }
    assert (await review.http.post(results, json=body, headers=baotou)).status_code == 404
    assert (await review.http.post(results, json=body, headers=province)).status_code == 403
    recorded = await review.http.post(results, json=body, headers=hohhot)
    assert recorded.status_code == 200, recorded.text
    assert recorded.json()["result"] == "failed"
    assert (await review.http.post(results, json=body, headers=hohhot)).status_code == 409
    [failed] = await review.emitted("cn.sme.spotcheck.failed.v1")
    assert (failed["number"], failed["agency"], failed["spot_check_id"]) == (
        own["registration_number"],
        "150100",
        check["id"],
    )


async def test_no_registrations_no_sample(review: Review, tokens: Tokens) -> None:
    response = await review.http.post(SPOT_CHECKS, json={"year": 2026}, headers=tokens.province())
    assert response.status_code == 409
    bad_ratio = await review.http.post(
        SPOT_CHECKS, json={"year": 2026, "ratio": "1.5"}, headers=tokens.province()
    )
    assert bad_ratio.status_code == 422
    assert bad_ratio.json()["error"]["details"][0]["loc"] == ["body", "ratio"]
    agency = await review.http.post(
        SPOT_CHECKS, json={"year": 2026}, headers=tokens.agency("150100")
    )
    assert agency.status_code == 403
