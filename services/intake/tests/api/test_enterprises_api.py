"""The enterprise profile: POST/GET /api/v1/enterprises on a real database."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from localdev.testing import Tokens
from shared.kernel.codes.uscc import ALPHABET
from shared.kernel.evaluation.samples import sample_document

pytestmark = pytest.mark.integration


def profile(uscc: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {**sample_document()["enterprise"], "uscc": uscc, **changes}
    return body


def wrong_check_digit(uscc: str) -> str:
    return uscc[:17] + next(c for c in ALPHABET if c != uscc[17])


async def test_enterprise_registers_its_profile_routed_to_its_agency(
    client: httpx.AsyncClient, tokens: Tokens, uscc_of: Any, emitted: Any
) -> None:
    uscc = uscc_of(60)
    response = await client.post(
        "/api/v1/enterprises", json=profile(uscc), headers=tokens.enterprise(uscc)
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["uscc"] == uscc
    assert body["agency"] == "150100"
    assert body["uscc_checksum_ok"] is True
    assert body["warnings"] == []
    assert body["contact"] == {"name": "张三", "phone": "13800000000", "email": "a@example.cn"}
    assert await emitted.count() == 0  # the profile's contact data never goes into an event


async def test_registering_again_updates_the_profile(
    client: httpx.AsyncClient, tokens: Tokens, uscc_of: Any, audit: Any
) -> None:
    uscc = uscc_of(61)
    await client.post("/api/v1/enterprises", json=profile(uscc), headers=tokens.enterprise(uscc))
    moved = profile(uscc, region_code="150205", name="包头示例科技有限公司")
    response = await client.post("/api/v1/enterprises", json=moved, headers=tokens.enterprise(uscc))
    assert response.status_code == 200
    assert response.json()["agency"] == "150200"
    fetched = await client.get(f"/api/v1/enterprises/{uscc}", headers=tokens.enterprise(uscc))
    assert fetched.json()["name"] == "包头示例科技有限公司"
    [update] = await audit.records("enterprise.update")
    assert update["before"]["region_code"] == "150105"
    assert update["after"]["region_code"] == "150205"
    assert len(await audit.records("enterprise.register")) == 1


async def test_an_enterprise_in_a_high_tech_zone_is_routed_to_the_zone(
    client: httpx.AsyncClient, tokens: Tokens, uscc_of: Any
) -> None:
    uscc = uscc_of(62)
    body = profile(uscc, region_code="150205", high_tech_zone="htz-baotou")
    response = await client.post("/api/v1/enterprises", json=body, headers=tokens.enterprise(uscc))
    assert response.json()["agency"] == "htz-baotou"


async def test_checksum_mismatch_is_accepted_with_a_warning_flag(
    client: httpx.AsyncClient, tokens: Tokens, uscc_of: Any
) -> None:
    uscc = wrong_check_digit(uscc_of(63))
    response = await client.post(
        "/api/v1/enterprises", json=profile(uscc), headers=tokens.enterprise(uscc)
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["uscc_checksum_ok"] is False
    assert [w["code"] for w in body["warnings"]] == ["uscc_checksum"]


@pytest.mark.parametrize(
    "malformed", ["91150105MA0Q4006", "91150105MA0Q40064I", "91150105ma0q400640"]
)
async def test_a_malformed_uscc_is_refused(
    client: httpx.AsyncClient, tokens: Tokens, uscc_of: Any, malformed: str
) -> None:
    response = await client.post(
        "/api/v1/enterprises", json=profile(malformed), headers=tokens.enterprise(uscc_of(64))
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"] == ["body", "uscc"]


async def test_the_token_uscc_must_be_the_profile_uscc(
    client: httpx.AsyncClient, tokens: Tokens, uscc_of: Any
) -> None:
    response = await client.post(
        "/api/v1/enterprises", json=profile(uscc_of(65)), headers=tokens.enterprise(uscc_of(66))
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("changes", "loc"),
    [
        ({"region_code": "110105"}, ["body", "region_code"]),
        ({"region_code": "15010"}, ["body", "region_code"]),
        ({"high_tech_zone": "htz-shanghai"}, ["body", "high_tech_zone"]),
        ({"region_code": "150402", "high_tech_zone": "htz-baotou"}, ["body", "high_tech_zone"]),
        ({"contact": {"name": "张三", "phone": "call me"}}, ["body", "contact", "phone"]),
        ({"website": "https://example.cn"}, ["body", "website"]),
    ],
)
async def test_invalid_profile_is_refused_with_the_field(
    client: httpx.AsyncClient, tokens: Tokens, uscc_of: Any, changes: dict[str, Any], loc: list[str]
) -> None:
    uscc = uscc_of(67)
    response = await client.post(
        "/api/v1/enterprises", json=profile(uscc, **changes), headers=tokens.enterprise(uscc)
    )
    assert response.status_code == 422
    assert loc in [d["loc"] for d in response.json()["error"]["details"]]


async def test_who_may_read_a_profile(
    client: httpx.AsyncClient, tokens: Tokens, uscc_of: Any
) -> None:
    uscc = uscc_of(68)
    await client.post("/api/v1/enterprises", json=profile(uscc), headers=tokens.enterprise(uscc))
    url = f"/api/v1/enterprises/{uscc}"
    assert (await client.get(url, headers=tokens.enterprise(uscc))).status_code == 200
    assert (await client.get(url, headers=tokens.agency("150100"))).status_code == 200
    assert (await client.get(url, headers=tokens.province())).status_code == 200
    assert (await client.get(url, headers=tokens.enterprise(uscc_of(69)))).status_code == 404
    assert (await client.get(url, headers=tokens.agency("150200"))).status_code == 404
    assert (await client.get(url, headers=tokens.external())).status_code == 403
    assert (await client.get(url)).status_code == 401


async def test_unknown_and_malformed_codes_when_reading(
    client: httpx.AsyncClient, tokens: Tokens, uscc_of: Any
) -> None:
    unknown = await client.get(f"/api/v1/enterprises/{uscc_of(70)}", headers=tokens.province())
    assert unknown.status_code == 404
    malformed = await client.get("/api/v1/enterprises/not-a-code", headers=tokens.province())
    assert malformed.status_code == 422
