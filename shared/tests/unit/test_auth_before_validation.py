"""Authentication and authorisation run before body validation on protected operations:
an anonymous caller of a protected write gets 401 (a wrong role 403), never field feedback."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from fastapi import Depends, FastAPI
from pydantic import BaseModel

from shared.platform.auth.principal import Principal, Role
from shared.platform.auth.tokens import (
    LOCAL_AUDIENCE,
    LOCAL_ISSUER,
    TokenVerifier,
    generate_key_pair,
    issue_dev_token,
)
from shared.platform.web.auth import CurrentPrincipal, OptionalPrincipal, require_roles
from shared.platform.web.errors import install_error_handlers


class Filing(BaseModel):
    title: str
    amount: int


@pytest.fixture(scope="module")
def key_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return generate_key_pair(tmp_path_factory.mktemp("keys"))


@pytest.fixture
def client(key_pair: tuple[Path, Path]) -> httpx.AsyncClient:
    app = FastAPI()
    install_error_handlers(app)
    verifier = TokenVerifier.from_file(key_pair[1], issuer=LOCAL_ISSUER, audience=LOCAL_AUDIENCE)
    app.state.runtime = SimpleNamespace(verifier=verifier)
    province_only = Depends(require_roles(Role.PROVINCE))

    @app.post("/protected")
    async def protected(filing: Filing, principal: CurrentPrincipal) -> dict[str, str]:
        return {"sub": principal.sub}

    @app.post("/province", dependencies=[province_only])
    async def province(filing: Filing) -> dict[str, int]:
        return {"amount": filing.amount}

    @app.post("/public")
    async def public(filing: Filing, principal: OptionalPrincipal) -> dict[str, int]:
        return {"amount": filing.amount}

    _ = Principal  # the dependencies above resolve to it
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


def bearer(key_pair: tuple[Path, Path], role: str, **claims: str) -> dict[str, str]:
    token = issue_dev_token(key_pair[0].read_bytes(), role=role, **claims)
    return {"Authorization": f"Bearer {token}"}


BAD_BODIES = [b'{"title": 1}', b"{not json", b'{"title": "x", "amount": "many"}']


@pytest.mark.parametrize("body", BAD_BODIES)
@pytest.mark.parametrize("path", ["/protected", "/province"])
async def test_anonymous_callers_get_401_whatever_the_body(
    client: httpx.AsyncClient, path: str, body: bytes
) -> None:
    response = await client.post(path, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 401
    assert response.json()["error"]["details"] == []


@pytest.mark.parametrize("body", BAD_BODIES)
async def test_a_wrong_role_gets_403_whatever_the_body(
    client: httpx.AsyncClient, key_pair: tuple[Path, Path], body: bytes
) -> None:
    headers = {"content-type": "application/json", **bearer(key_pair, "agency", org="150100")}
    response = await client.post("/province", content=body, headers=headers)
    assert response.status_code == 403


async def test_the_right_caller_gets_the_field_feedback(
    client: httpx.AsyncClient, key_pair: tuple[Path, Path]
) -> None:
    response = await client.post(
        "/province", json={"title": "x", "amount": "many"}, headers=bearer(key_pair, "province")
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"] == ["body", "amount"]


async def test_public_routes_keep_their_validation_feedback(client: httpx.AsyncClient) -> None:
    response = await client.post("/public", json={"title": "x"})
    assert response.status_code == 422
