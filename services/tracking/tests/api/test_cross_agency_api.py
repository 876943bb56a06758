"""Jurisdiction (architecture.md "Security", contract.md): an agency of another league/city
gets 404 for a Hohhot enterprise's quarterly report and never sees its obligations,
reports or tier in a list; Hohhot's agency does."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from localdev.testing import Tokens
from tracking.domain.samples import sample_report

if TYPE_CHECKING:
    from conftest import Tracking

pytestmark = pytest.mark.integration

HOME, OTHER = "150100", "150200"  # 呼和浩特市科技局 (the enterprise's 150105), 包头市科技局


async def test_another_agency_gets_404_and_empty_lists(tracking: Tracking, tokens: Tokens) -> None:
    uscc = tracking.uscc(181)
    await tracking.register(uscc, agency=HOME, region_code="150105")
    filed = await tracking.put_report(tokens.enterprise(uscc), 2026, 4, sample_report())
    assert filed.status_code == 200, filed.text

    async def get(url: str, org: str, **params: Any) -> Any:
        response = await tracking.http.get(url, params=params, headers=tokens.agency(org))
        return response.status_code, response.json()

    report = "/api/v1/quarterly-reports/2026/4"
    assert (await get(report, HOME, uscc=uscc))[0] == 200
    status, body = await get(report, OTHER, uscc=uscc)
    assert status == 404, body
    assert body["error"]["code"] == "quarterly_report_not_found"

    for url, params in (
        ("/api/v1/obligations", {}),
        ("/api/v1/quarterly-reports", {}),
        ("/api/v1/tracking/tiers", {"year": 2026}),
    ):
        home, other = await get(url, HOME, **params), await get(url, OTHER, **params)
        assert (home[0], other[0]) == (200, 200), url
        assert uscc in {item["uscc"] for item in home[1]["items"]}, (url, home[1])
        assert other[1]["items"] == [], (url, other[1])
