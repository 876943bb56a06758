"""Malformed query parameters are 422 naming the parameter, never a 500 (real PostgreSQL)."""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

import pytest

from localdev.testing import Tokens

if TYPE_CHECKING:
    from conftest import Tracking

pytestmark = pytest.mark.integration


def forged_cursor(*values: Any) -> str:
    """A cursor as `shared.platform.web.pagination` encodes one, with values of the caller's choice
    (the standard json module: orjson cannot write integers beyond 64 bits)."""
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


def assert_invalid(response: Any, parameter: str) -> None:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert ["query", parameter] in [d["loc"] for d in error["details"]]
    assert error["message"]
    assert error["message_en"]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        # ids beyond bigint
        ("/api/v1/obligations", {"cursor": forged_cursor("2026-04-15", 2**63)}),
        ("/api/v1/obligations", {"cursor": forged_cursor("2026-04-15", "9" * 30)}),
        ("/api/v1/quarterly-reports", {"cursor": forged_cursor("2026-07-10T02:00:00Z", 2**70)}),
        # timestamps PostgreSQL cannot hold once in UTC, or without their offset
        (
            "/api/v1/quarterly-reports",
            {"cursor": forged_cursor("9999-12-31T23:59:59-23:00", 1)},
        ),
        ("/api/v1/quarterly-reports", {"cursor": forged_cursor("0001-01-01T00:00:00+08:00", 1)}),
        ("/api/v1/quarterly-reports", {"cursor": forged_cursor("2026-07-10T02:00:00", 1)}),
        ("/api/v1/tracking/tiers", {"year": 2026, "cursor": forged_cursor(2**70, "x")}),
    ],
)
async def test_a_forged_cursor_is_422(
    tracking: Tracking, tokens: Tokens, path: str, params: dict[str, Any]
) -> None:
    response = await tracking.http.get(path, params=params, headers=tokens.province())
    assert_invalid(response, "cursor")
    assert response.json()["error"]["code"] == "invalid_cursor"


async def test_a_region_filter_takes_only_ascii_digits(tracking: Tracking, tokens: Tokens) -> None:
    response = await tracking.http.get(
        "/api/v1/quarterly-reports", params={"region": "１５０１"}, headers=tokens.province()
    )
    assert_invalid(response, "region")


async def test_an_unknown_tier_is_422_with_the_policys_tiers(
    tracking: Tracking, tokens: Tokens
) -> None:
    response = await tracking.http.get(
        "/api/v1/tracking/tiers", params={"year": 2026, "tier": "leadng"}, headers=tokens.province()
    )
    assert_invalid(response, "tier")
    (detail,) = response.json()["error"]["details"]
    assert "leading" in detail["msg_en"]
    assert "basic" in detail["msg"]


async def test_a_bureau_reading_one_report_must_name_the_enterprise(
    tracking: Tracking, tokens: Tokens
) -> None:
    for headers in (tokens.agency("150100"), tokens.province()):
        response = await tracking.http.get("/api/v1/quarterly-reports/2026/4", headers=headers)
        assert_invalid(response, "uscc")
