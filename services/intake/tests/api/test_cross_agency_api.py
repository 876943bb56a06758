"""Jurisdiction (architecture.md "Security", contract.md): an agency of another league/city
gets 404 for each single-record read of a Hohhot enterprise and never sees it in a list;
the agency of its jurisdiction does (so the 404 is the scope, not a broken record)."""

from __future__ import annotations

from typing import Any

import pytest

from localdev.testing import Tokens

pytestmark = pytest.mark.integration

HOME, OTHER = "150100", "150200"  # 呼和浩特市科技局 (the sample's 150105), 包头市科技局


async def test_another_agency_gets_404_and_an_empty_list(filing: Any, tokens: Tokens) -> None:
    application = await filing.create(181)
    document = await filing.upload(application, "financial_statements", n=181)
    uscc = application["form"]["enterprise"]["uscc"]
    await filing.client.post(
        "/api/v1/enterprises",
        json=application["form"]["enterprise"],
        headers=filing.as_enterprise(181),
    )
    singles = [
        f"/api/v1/applications/{application['id']}",
        f"/api/v1/applications/{application['id']}/documents",
        f"/api/v1/documents/{document['id']}/content",
        f"/api/v1/enterprises/{uscc}",
    ]
    for url in singles:
        home = await filing.client.get(url, headers=tokens.agency(HOME))
        assert home.status_code == 200, (url, home.text)
        other = await filing.client.get(url, headers=tokens.agency(OTHER))
        assert other.status_code == 404, (url, other.text)
        assert other.json()["error"]["code"].endswith("not_found")

    async def listed(org: str) -> set[str]:
        response = await filing.client.get("/api/v1/applications", headers=tokens.agency(org))
        assert response.status_code == 200, response.text
        return {item["id"] for item in response.json()["items"]}

    assert application["id"] in await listed(HOME)
    assert application["id"] not in await listed(OTHER)
