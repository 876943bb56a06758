"""POST /api/v1/evaluations/preview: anyone scores a form; nothing is stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from intake.adapters.tables import ApplicationRow
from localdev.testing import Tokens
from shared.platform.runtime import ServiceRuntime

pytestmark = pytest.mark.integration

PREVIEW = "/api/v1/evaluations/preview"


def _class2(n: int) -> list[dict[str, Any]]:
    return [
        {
            "kind": "design_patent",
            "number": f"ZL20233000000{i}.X",
            "granted_on": "2023-05-01",
            "valid_until": "2038-05-01",
            "related_to_main_product": True,
            "disputed": False,
        }
        for i in range(n)
    ]


WORKED = {
    "personnel": {"employees_total": 100, "st_personnel": 22},
    "finance": {
        "sales_revenue": "10000000.00",
        "total_assets": "8000000.00",
        "cost_expense_total": "9000000.00",
        "rd_expense_total": "450000.00",
    },
    "fast_track": [],
}


async def test_anyone_scores_the_contract_example_without_a_token(
    client: httpx.AsyncClient, form_of: Callable[..., dict[str, Any]]
) -> None:
    response = await client.post(PREVIEW, json=form_of(90))
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["personnel"] == {"ratio": "0.3333", "points": 20}
    assert result["rd"]["points"] == 50
    assert result["achievements"] == {"class1": 1, "class2": 0, "points": 30}
    assert result["total"] == 100
    assert result["fast_track"] == {"qualified": True, "basis": ["high_tech_certificate"]}
    assert result["eligible"] is True
    assert result["reasons"] == []
    assert result["policy_version"] == 1
    assert result["evaluated_on"] == "2026-06-15"
    assert all({"code", "passed", "message", "message_en"} <= set(c) for c in result["conditions"])


@pytest.mark.parametrize(("class2", "total", "eligible"), [(2, 54, False), (3, 60, True)])
async def test_the_worked_example_of_the_domain(
    client: httpx.AsyncClient,
    form_of: Callable[..., dict[str, Any]],
    class2: int,
    total: int,
    eligible: bool,
) -> None:
    result = (
        await client.post(PREVIEW, json=form_of(91, {**WORKED, "ip": _class2(class2)}))
    ).json()
    assert result["personnel"]["points"] == 12
    assert result["rd"]["points"] == 30
    assert result["total"] == total
    assert result["eligible"] is eligible
    assert bool(result["reasons"]) is not eligible


async def test_a_logged_in_user_may_preview_too(
    client: httpx.AsyncClient, tokens: Tokens, form_of: Callable[..., dict[str, Any]]
) -> None:
    response = await client.post(PREVIEW, json=form_of(92), headers=tokens.agency("150100"))
    assert response.status_code == 200


async def test_an_invalid_form_gets_its_field_paths(
    client: httpx.AsyncClient, form_of: Callable[..., dict[str, Any]]
) -> None:
    form = form_of(93, {"personnel.st_personnel": 60, "finance.sales_revenue": -5})
    response = await client.post(PREVIEW, json=form)
    assert response.status_code == 422
    locs = [d["loc"] for d in response.json()["error"]["details"]]
    assert ["body", "personnel", "st_personnel"] in locs
    assert ["body", "finance", "sales_revenue"] in locs


async def test_a_year_without_policy_is_a_422(
    client: httpx.AsyncClient, form_of: Callable[..., dict[str, Any]]
) -> None:
    response = await client.post(PREVIEW, json=form_of(94, {"year": 2031}))
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"] == ["body", "year"]


async def test_preview_stores_and_emits_nothing(
    client: httpx.AsyncClient,
    form_of: Callable[..., dict[str, Any]],
    runtime: ServiceRuntime,
    emitted: Any,
) -> None:
    for n in range(95, 98):
        assert (await client.post(PREVIEW, json=form_of(n))).status_code == 200
    async with runtime.db.sessions() as session:
        stored = (await session.execute(select(func.count()).select_from(ApplicationRow))).scalar()
    assert stored == 0
    assert await emitted.count() == 0
