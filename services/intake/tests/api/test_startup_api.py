"""Start-up: a broken yearly policy file stops intake with a clear message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

import intake.bootstrap
from intake.bootstrap import create_app
from intake.config import IntakeSettings
from localdev.stack import Infra
from localdev.testing import running_app, test_settings
from shared.kernel.policy.loader import PolicyFileError

pytestmark = pytest.mark.integration


async def test_a_broken_policy_file_stops_the_service_at_start_up(
    infra: Infra,
    keys: tuple[Path, Path],
    fresh_database: Callable[[str], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken() -> None:
        raise PolicyFileError(Path("years/2026.yaml"), ["scoring.pass_score: not a number"])

    monkeypatch.setattr(intake.bootstrap, "shipped_policies", broken)
    settings = IntakeSettings(**test_settings("intake", fresh_database("intake"), infra, keys))
    with pytest.raises(PolicyFileError, match=r"2026\.yaml.*\n.*scoring\.pass_score"):
        async with running_app(create_app(settings, run_background=False)):
            pass


async def test_the_api_documentation_lists_every_contract_path(client: httpx.AsyncClient) -> None:
    response = await client.get("/openapi/intake.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        "/api/v1/policy/{year}",
        "/api/v1/evaluations/preview",
        "/api/v1/enterprises",
        "/api/v1/enterprises/{uscc}",
        "/api/v1/applications",
        "/api/v1/applications/{application_id}",
        "/api/v1/applications/{application_id}/submit",
        "/api/v1/applications/{application_id}/withdraw",
    } <= set(paths)
    assert {"get", "put"} <= set(paths["/api/v1/policy/{year}"])
    assert {"put", "get"} <= set(paths["/api/v1/applications/{application_id}"])
