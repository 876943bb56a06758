"""Public supervision channels (公开监督方式, contract § Round 2)."""

from __future__ import annotations

import httpx
import pytest

from localdev.testing import Tokens
from shared.kernel.codes.orgtree import org_tree

pytestmark = pytest.mark.integration

URL = "/api/v1/public/supervision-channels"
CHANNEL = {
    "phone": "0471-1234567",
    "email": "jiandu@example.cn",
    "address": "呼和浩特市新城区某路1号",
    "office_hours": "工作日 9:00-17:00",
}


async def test_every_organisation_is_listed_with_placeholders_until_it_publishes(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    listed = await client.get(URL)  # public: no token
    assert listed.status_code == 200, listed.text
    items = {c["org"]: c for c in listed.json()["items"]}
    tree = org_tree()
    assert set(items) == {tree.province.code, *(a.code for a in tree.agencies)}
    hohhot = items["150100"]
    assert hohhot["placeholder"] is True
    assert "占位" in hohhot["phone"]
    assert "placeholder" in hohhot["email"]
    assert (hohhot["filing"]["method"], hohhot["filing"]["path"]) == ("POST", "/api/v1/cases")

    own = await client.put(
        "/api/v1/supervision-channels/150100", json=CHANNEL, headers=tokens.agency("150100")
    )
    assert own.status_code == 200, own.text
    assert (own.json()["placeholder"], own.json()["phone"]) == (False, "0471-1234567")
    after = {c["org"]: c for c in (await client.get(URL)).json()["items"]}
    assert after["150100"]["email"] == "jiandu@example.cn"
    assert after["150200"]["placeholder"] is True


async def test_who_may_edit_and_bad_input(client: httpx.AsyncClient, tokens: Tokens) -> None:
    other = await client.put(
        "/api/v1/supervision-channels/150200", json=CHANNEL, headers=tokens.agency("150100")
    )
    assert other.status_code == 403
    anonymous = await client.put("/api/v1/supervision-channels/150200", json=CHANNEL)
    assert anonymous.status_code == 401
    enterprise = await client.put(
        "/api/v1/supervision-channels/150200",
        json=CHANNEL,
        headers=tokens.enterprise("91150105MA0Q4XXXXA"),
    )
    assert enterprise.status_code == 403
    province = await client.put(
        "/api/v1/supervision-channels/150000", json=CHANNEL, headers=tokens.province()
    )
    assert province.status_code == 200, province.text
    unknown = await client.put(
        "/api/v1/supervision-channels/159999", json=CHANNEL, headers=tokens.province()
    )
    assert unknown.status_code == 404
    bad = await client.put(
        "/api/v1/supervision-channels/150000",
        json={**CHANNEL, "email": "not-an-address"},
        headers=tokens.province(),
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["loc"] == ["body", "email"]
