"""The local gateway routes by the longest prefix of deploy/gateway/routes.yaml."""

from __future__ import annotations

import pytest

from localdev.gateway import load_routes, match

ROUTES = load_routes()


@pytest.mark.parametrize(
    ("path", "service"),
    [
        ("/api/v1/applications", "intake"),
        ("/api/v1/applications/5/submit", "intake"),
        ("/api/v1/policy/2026", "intake"),
        ("/api/v1/review-cases/1/decision", "review"),
        ("/api/v1/public/notices", "review"),
        ("/api/v1/registrations/verify", "review"),
        ("/api/v1/cases/3/accept", "supervision"),
        ("/api/v1/credit/91150105MA0Q4XXXXA", "supervision"),
        ("/api/v1/tracking/statistics", "tracking"),
        ("/api/v1/quarterly-reports/2026/3", "tracking"),
        ("/api/v1/ops/review/dead-letters", "review"),
        ("/docs/supervision", "supervision"),
    ],
)
def test_contract_paths_reach_their_service(path: str, service: str) -> None:
    assert match(ROUTES, path) == service


@pytest.mark.parametrize("path", ["/api/v1/applicationsX", "/api/v1", "/", "/api/v2/cases"])
def test_a_prefix_only_matches_whole_path_segments(path: str) -> None:
    assert match(ROUTES, path) is None
