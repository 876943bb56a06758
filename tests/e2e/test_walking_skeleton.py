"""Issue 2 item 6: an application travels intake → Kafka → review → Kafka → intake."""

from __future__ import annotations

import httpx
import pytest

from localdev.stack import Stack
from localdev.testing import Tokens

from .helpers import cases_of, eventually, new_uscc, submit_new_application

pytestmark = pytest.mark.e2e


def test_a_submitted_application_becomes_a_review_case_at_its_agency(
    stack: Stack, tokens: Tokens
) -> None:
    client = httpx.Client(base_url=stack.gateway_url, timeout=10)
    uscc = new_uscc("150781")  # 满洲里: its own bureau, not Hulunbuir's
    application = submit_new_application(client, tokens, uscc, region="150781")

    case = eventually(
        lambda: next((c for c in cases_of(client, tokens, "150781") if c["uscc"] == uscc), None),
        what="the review case at 满洲里",
    )
    assert case["application_id"] == application["id"]
    assert case["agency"] == "150781"
    assert all(c["uscc"] != uscc for c in cases_of(client, tokens, "150700"))

    status = eventually(
        lambda: (
            (
                r := client.get(
                    f"/api/v1/applications/{application['id']}", headers=tokens.enterprise(uscc)
                ).json()
            )["status"]
            == "under_review"
            and r
        ),
        what="intake status under_review",
    )
    assert [t["status"] for t in status["timeline"]][-1] == "under_review"


def test_the_gateway_serves_every_service_and_its_docs(stack: Stack) -> None:
    client = httpx.Client(base_url=stack.gateway_url, timeout=10)
    for service in ("intake", "review", "supervision", "tracking"):
        assert client.get(f"/openapi/{service}.json").status_code == 200
    assert client.get("/docs").status_code == 200
    unknown = client.get("/api/v1/nowhere")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "not_found"
