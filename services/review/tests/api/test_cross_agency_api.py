"""Jurisdiction (architecture.md "Security", contract.md): an agency of another league/city
gets 404 for a Hohhot enterprise's case and registration and never sees them in a list
(cases, batch entries, registrations, spot-check sample); Hohhot's agency does."""

from __future__ import annotations

from typing import Any

import pytest

from localdev.testing import Tokens

from ..conftest import Review, approved_case

pytestmark = pytest.mark.integration

HOME, OTHER = "150100", "150200"  # 呼和浩特市科技局 (the sample's 150105), 包头市科技局


async def test_another_agency_gets_404_and_empty_lists(review: Review, tokens: Tokens) -> None:
    case_id = await approved_case(review, tokens, 181)
    province = tokens.province()
    batch = (
        await review.http.post(
            "/api/v1/publicity-batches",
            json={"year": 2026, "case_ids": [case_id], "starts_on": "2026-05-06"},
            headers=province,
        )
    ).json()
    batch_url = f"/api/v1/publicity-batches/{batch['id']}"
    announced = (await review.http.post(f"{batch_url}/announce", headers=province)).json()
    [number] = [e["registration_number"] for e in announced["entries"]]
    draw = await review.http.post(
        "/api/v1/spot-checks", json={"year": 2026, "ratio": "1"}, headers=province
    )
    assert draw.status_code == 201, draw.text
    spot_check_url = f"/api/v1/spot-checks/{draw.json()['id']}"

    async def get(url: str, org: str) -> Any:
        response = await review.http.get(url, headers=tokens.agency(org))
        return response.status_code, response.json()

    for url in (f"/api/v1/review-cases/{case_id}", f"/api/v1/registrations/{number}/changes"):
        assert (await get(url, HOME))[0] == 200, url
        status, body = await get(url, OTHER)
        assert status == 404, (url, body)
        assert body["error"]["code"].endswith("not_found")

    lists = {
        "/api/v1/review-cases": lambda body: [c["id"] for c in body["items"]],
        "/api/v1/registrations": lambda body: [r["number"] for r in body["items"]],
        batch_url: lambda body: [e["case_id"] for e in body["entries"]],
        spot_check_url: lambda body: [i["registration_number"] for i in body["items"]],
    }
    for url, ids in lists.items():
        home, other = await get(url, HOME), await get(url, OTHER)
        assert (home[0], other[0]) == (200, 200), url
        assert ids(home[1]) in ([case_id], [number]), (url, home[1])
        assert ids(other[1]) == [], (url, other[1])
