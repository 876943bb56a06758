"""Applications through the HTTP API on a real database (walking-skeleton level)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from localdev.testing import Tokens
from shared.evaluation.samples import sample_document

pytestmark = pytest.mark.integration


@pytest.fixture
def form() -> dict[str, Any]:
    return sample_document()


async def test_enterprise_creates_and_submits_its_application(
    client: httpx.AsyncClient, tokens: Tokens, form: dict[str, Any]
) -> None:
    uscc = form["enterprise"]["uscc"]
    created = await client.post("/api/v1/applications", json=form, headers=tokens.enterprise(uscc))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "draft"
    assert body["agency"] == "150100"

    submitted = await client.post(
        f"/api/v1/applications/{body['id']}/submit", headers=tokens.enterprise(uscc)
    )
    assert submitted.status_code == 200, submitted.text
    assert [t["status"] for t in submitted.json()["timeline"]] == ["draft", "submitted"]


async def test_unknown_field_is_refused_with_its_path(
    client: httpx.AsyncClient, tokens: Tokens, form: dict[str, Any]
) -> None:
    form["personnel"]["interns"] = 3
    response = await client.post(
        "/api/v1/applications", json=form, headers=tokens.enterprise(form["enterprise"]["uscc"])
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["details"][0]["loc"] == ["body", "personnel", "interns"]
    assert error["message"] and error["message_en"]


async def test_another_enterprise_cannot_see_the_application(
    client: httpx.AsyncClient, tokens: Tokens, form: dict[str, Any]
) -> None:
    uscc = form["enterprise"]["uscc"]
    created = await client.post("/api/v1/applications", json=form, headers=tokens.enterprise(uscc))
    other = "91150105MA0Q4YYYY" + "0"
    response = await client.get(
        f"/api/v1/applications/{created.json()['id']}", headers=tokens.enterprise(other)
    )
    assert response.status_code == 404
