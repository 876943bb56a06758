"""Jurisdiction (architecture.md "Security", contract.md): an agency of another league/city
gets 404 for a Hohhot enterprise's case and revocation and never sees them in a list
(cases, revocations, proposals); Hohhot's agency does."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from localdev.testing import Tokens
from shared.kernel.codes.uscc import with_check_digit
from shared.kernel.events.payloads.external import MarketListingAdded
from shared.kernel.events.payloads.review import RegistrationIssued

pytestmark = pytest.mark.integration

ENTERPRISE = with_check_digit("91150105MA0000181")
HOME, OTHER = "150100", "150200"  # 呼和浩特市科技局 (the enterprise's 150105), 包头市科技局


async def test_another_agency_gets_404_and_empty_lists(
    client: httpx.AsyncClient, tokens: Tokens, deliver: Any
) -> None:
    await deliver(
        RegistrationIssued(
            number="2026150105A0000181",
            uscc=ENTERPRISE,
            year=2026,
            region_code="150105",
            agency=HOME,
            valid_until=date(2026, 12, 31),
            registered_on=date(2026, 10, 20),
            enterprise_name="内蒙古示例科技有限公司",
        )
    )
    # A credit listing opens a revocation proposal for the registration's agency.
    await deliver(
        MarketListingAdded(uscc=ENTERPRISE, list="serious_dishonesty", starts_on=date(2026, 11, 20))
    )
    filed = await client.post(
        "/api/v1/cases",
        json={
            "kind": "complaint",
            "subject_uscc": ENTERPRISE,
            "grounds": "虚报研发投入",
            "facts": "该企业研发费用明细与实际不符。",
            "evidence": ["合同复印件"],
            "filer": None,
        },
    )
    assert filed.status_code == 201, filed.text
    case_id = filed.json()["id"]
    [proposal] = (
        await client.get("/api/v1/revocation-proposals", headers=tokens.province())
    ).json()["items"]

    async def get(url: str, org: str) -> Any:
        response = await client.get(url, headers=tokens.agency(org))
        return response.status_code, response.json()

    for url in (f"/api/v1/cases/{case_id}", f"/api/v1/revocations/{proposal['id']}"):
        assert (await get(url, HOME))[0] == 200, url
        status, body = await get(url, OTHER)
        assert status == 404, (url, body)
        assert body["error"]["code"].endswith("not_found")

    for url, expected in (
        ("/api/v1/cases", case_id),
        ("/api/v1/revocations", proposal["id"]),
        ("/api/v1/revocation-proposals", proposal["id"]),
    ):
        home, other = await get(url, HOME), await get(url, OTHER)
        assert (home[0], other[0]) == (200, 200), url
        assert [item["id"] for item in home[1]["items"]] == [expected], url
        assert other[1]["items"] == [], (url, other[1])
