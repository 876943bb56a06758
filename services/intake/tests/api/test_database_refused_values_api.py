"""Text PostgreSQL cannot store (a NUL character) is the user's input: 422, never 500.

Since the shared text rules (issue 10) a control character is refused while the body is
validated, with the field's path, before anything reaches the database."""

from __future__ import annotations

import httpx
import pytest

from localdev.testing import Tokens
from shared.kernel.evaluation.samples import sample_document

pytestmark = pytest.mark.integration


async def test_a_nul_character_in_a_form_is_a_422_and_nothing_is_saved(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    form = sample_document({"enterprise.name": "内蒙古\u0000示例科技有限公司"})
    headers = tokens.enterprise(form["enterprise"]["uscc"])
    response = await client.post("/api/v1/applications", json=form, headers=headers)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert [d["loc"][-2:] for d in error["details"]] == [["enterprise", "name"]]
    listed = await client.get("/api/v1/applications", headers=headers)
    assert listed.json()["items"] == []
