"""Every intake endpoint: no token → 401, wrong role → 403, someone else's record → 404,
lists scoped to the caller (enterprise its own, agency its jurisdiction, province all)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from localdev.testing import Tokens
from shared.platform.web.pagination import encode_cursor

pytestmark = pytest.mark.integration

ROLES = ("enterprise", "agency", "province", "external")

# (method, path, roles allowed); {id} is an application of enterprise 1, {uscc} its code.
ENDPOINTS = [
    ("POST", "/api/v1/applications", {"enterprise"}),
    ("PUT", "/api/v1/applications/{id}", {"enterprise"}),
    ("POST", "/api/v1/applications/{id}/submit", {"enterprise"}),
    ("POST", "/api/v1/applications/{id}/withdraw", {"enterprise"}),
    ("GET", "/api/v1/applications/{id}", {"enterprise", "agency", "province"}),
    ("GET", "/api/v1/applications", {"enterprise", "agency", "province"}),
    ("POST", "/api/v1/enterprises", {"enterprise"}),
    ("GET", "/api/v1/enterprises/{uscc}", {"enterprise", "agency", "province"}),
    ("PUT", "/api/v1/policy/2026", {"province"}),
    ("POST", "/api/v1/applications/{id}/documents", {"enterprise"}),
    ("GET", "/api/v1/applications/{id}/documents", {"enterprise", "agency", "province"}),
    ("DELETE", "/api/v1/applications/{id}/documents/{id}", {"enterprise"}),
    ("GET", "/api/v1/documents/{id}/content", {"enterprise", "agency", "province"}),
]


def _headers(tokens: Tokens, role: str, uscc: str) -> dict[str, str]:
    return {
        "enterprise": lambda: tokens.enterprise(uscc),
        "agency": lambda: tokens.agency("150100"),
        "province": tokens.province,
        "external": tokens.external,
    }[role]()


async def _body(client: httpx.AsyncClient, path: str, form: dict[str, Any]) -> Any:
    if path.startswith("/api/v1/policy"):
        return (await client.get("/api/v1/policy/2026")).json()
    if path == "/api/v1/enterprises":
        return form["enterprise"]
    return form


@pytest.mark.parametrize(("method", "path", "allowed"), ENDPOINTS)
async def test_wrong_roles_get_403_and_no_token_gets_401(
    filing: Any,
    tokens: Tokens,
    form_of: Callable[..., dict[str, Any]],
    method: str,
    path: str,
    allowed: set[str],
) -> None:
    application = await filing.create(100)
    url = path.format(id=application["id"], uscc=application["uscc"])
    body = await _body(filing.client, path, form_of(100))
    json = body if method in ("POST", "PUT") else None
    anonymous = await filing.client.request(method, url, json=json)
    assert anonymous.status_code == 401, anonymous.text
    assert anonymous.json()["error"]["code"] == "unauthorized"
    for role in sorted(set(ROLES) - allowed):
        response = await filing.client.request(
            method, url, json=json, headers=_headers(tokens, role, application["uscc"])
        )
        assert response.status_code == 403, (role, response.text)
        assert response.json()["error"]["message_en"]


async def test_a_bad_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/api/v1/applications", headers={"Authorization": "Bearer not.a.token"}
    )
    assert response.status_code == 401


async def test_someone_elses_application_is_not_found(
    filing: Any, tokens: Tokens, uscc_of: Any
) -> None:
    application = await filing.create(101)
    url = f"/api/v1/applications/{application['id']}"
    other = tokens.enterprise(uscc_of(102))
    assert (await filing.client.get(url, headers=other)).status_code == 404
    assert (await filing.client.post(f"{url}/withdraw", headers=other)).status_code == 404
    assert (await filing.client.get(url, headers=tokens.agency("150200"))).status_code == 404
    assert (await filing.client.get(url, headers=tokens.agency("htz-hohhot"))).status_code == 404
    assert (await filing.client.get(url, headers=tokens.agency("150100"))).status_code == 200
    assert (await filing.client.get(url, headers=tokens.province())).status_code == 200


async def test_unknown_and_malformed_application_ids(filing: Any) -> None:
    headers = filing.as_enterprise(103)
    unknown = await filing.client.get(
        "/api/v1/applications/00000000-0000-0000-0000-000000000000", headers=headers
    )
    assert unknown.status_code == 404
    malformed = await filing.client.get("/api/v1/applications/123", headers=headers)
    assert malformed.status_code == 422


async def test_lists_are_scoped_to_the_caller(filing: Any, tokens: Tokens) -> None:
    hohhot = [await filing.create(n) for n in (104, 105)]
    baotou = await filing.create(106, {"enterprise.region_code": "150205"})

    async def ids(headers: dict[str, str], query: str = "") -> set[str]:
        response = await filing.client.get(f"/api/v1/applications{query}", headers=headers)
        assert response.status_code == 200, response.text
        return {item["id"] for item in response.json()["items"]}

    assert await ids(filing.as_enterprise(104)) == {hohhot[0]["id"]}
    assert await ids(tokens.agency("150100")) == {a["id"] for a in hohhot}
    assert await ids(tokens.agency("150200")) == {baotou["id"]}
    assert await ids(tokens.agency("150300")) == set()
    assert await ids(tokens.province()) == {a["id"] for a in [*hohhot, baotou]}


async def test_list_filters_and_pagination(filing: Any, tokens: Tokens) -> None:
    drafts = [await filing.create(n) for n in range(110, 115)]
    submitted = await filing.submit(drafts[0], 110)
    province = tokens.province()

    response = await filing.client.get(
        "/api/v1/applications?status=submitted&year=2026", headers=province
    )
    assert [i["id"] for i in response.json()["items"]] == [submitted["id"]]
    assert response.json()["items"][0]["timeline"][-1]["status"] == "submitted"
    other_year = await filing.client.get("/api/v1/applications?year=2025", headers=province)
    assert other_year.json()["items"] == []

    seen: list[str] = []
    cursor = None
    while True:
        query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = (await filing.client.get(f"/api/v1/applications{query}", headers=province)).json()
        assert len(page["items"]) <= 2
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(d["id"] for d in drafts)
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize(
    "query", ["?status=pending", "?year=1999", "?limit=0", "?limit=501", "?cursor=%%%"]
)
async def test_bad_list_parameters_are_422(filing: Any, tokens: Tokens, query: str) -> None:
    response = await filing.client.get(f"/api/v1/applications{query}", headers=tokens.province())
    assert response.status_code == 422


@pytest.mark.parametrize(
    "values",
    [
        ["2026-06-15T02:00:00+00:00", 5],  # uuid.UUID(5) raises AttributeError, not ValueError
        ["2026-06-15T02:00:00+00:00", ["a"]],
        ["2026-06-15T02:00:00+00:00", "not-a-uuid"],
        [None, "00000000-0000-0000-0000-000000000000"],
        ["2026-06-15T02:00:00+00:00"],
        ["2026-06-15T02:00:00", "00000000-0000-0000-0000-000000000000"],  # no offset
        ["9999-12-31T23:00:00-05:00", "00000000-0000-0000-0000-000000000000"],
    ],
)
async def test_a_forged_cursor_is_a_422_not_a_500(
    filing: Any, tokens: Tokens, values: list[Any]
) -> None:
    await filing.create(116)
    response = await filing.client.get(
        "/api/v1/applications",
        params={"cursor": encode_cursor(values)},
        headers=tokens.province(),
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["loc"] == ["query", "cursor"]
