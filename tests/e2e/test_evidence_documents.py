"""Evidence documents end to end, through the gateway, with every service a process, real
Kafka, PostgreSQL and a real S3 server (S3Proxy): the enterprise uploads and submits, the
review case lists the documents, the routed agency reads the same bytes from intake and no
other agency or enterprise can; identical bytes from two enterprises block the later case."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from localdev.evidence import sample_pdf
from localdev.stack import Stack
from localdev.testing import Tokens

from .helpers import eventually, form_for, new_uscc, upload_required_evidence

pytestmark = pytest.mark.e2e

AGENCY = "150100"  # region 150105 → 呼和浩特市科技局
OTHER_AGENCY = "150200"


@pytest.fixture
def http(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.gateway_url, timeout=60) as client:
        yield client


def draft(http: httpx.Client, tokens: Tokens, uscc: str, **changes: Any) -> dict[str, Any]:
    created = http.post(
        "/api/v1/applications", json=form_for(uscc, **changes), headers=tokens.enterprise(uscc)
    )
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    return body


def case_detail(http: httpx.Client, tokens: Tokens, application_id: str) -> dict[str, Any] | None:
    listed = http.get("/api/v1/review-cases", params={"limit": 500}, headers=tokens.agency(AGENCY))
    case = next((c for c in listed.json()["items"] if c["application_id"] == application_id), None)
    if case is None:
        return None
    detail = http.get(f"/api/v1/review-cases/{case['id']}", headers=tokens.agency(AGENCY))
    body: dict[str, Any] = detail.json()
    return body


def test_upload_submit_and_the_agency_reads_the_same_bytes(
    http: httpx.Client, tokens: Tokens
) -> None:
    uscc = new_uscc()
    application = draft(http, tokens, uscc)
    me = tokens.enterprise(uscc)

    missing = http.post(f"/api/v1/applications/{application['id']}/submit", headers=me)
    assert missing.status_code == 422
    assert ["body", "fast_track", 0] in [d["loc"] for d in missing.json()["error"]["details"]]

    uploaded = {d["id"]: d for d in upload_required_evidence(http, tokens, application)}
    submitted = http.post(f"/api/v1/applications/{application['id']}/submit", headers=me)
    assert submitted.status_code == 200, submitted.text

    case = eventually(
        lambda: case_detail(http, tokens, application["id"]), what="the review case", timeout=60
    )
    assert {d["id"] for d in case["documents"]} == set(uploaded)
    assert {w["code"] for w in case["warnings"]}.isdisjoint(
        {"document_reused", "evidence_unreadable"}
    )
    for shown in case["documents"]:
        read = http.get(shown["content_url"], headers=tokens.agency(AGENCY))
        assert read.status_code == 200, read.text
        assert hashlib.sha256(read.content).hexdigest() == uploaded[shown["id"]]["sha256"]
        for stranger in (tokens.agency(OTHER_AGENCY), tokens.enterprise(new_uscc())):
            assert http.get(shown["content_url"], headers=stranger).status_code == 404
        assert http.get(shown["content_url"], headers=tokens.external()).status_code == 403
        assert http.get(shown["content_url"]).status_code == 401


def test_identical_bytes_from_two_enterprises_block_the_later_case(
    http: httpx.Client, tokens: Tokens
) -> None:
    statement = sample_pdf(f"one statement, two enterprises {new_uscc()}")
    first_uscc, second_uscc = new_uscc(), new_uscc()
    for uscc in (first_uscc, second_uscc):
        application = draft(http, tokens, uscc, fast_track=[])
        reused = http.post(
            f"/api/v1/applications/{application['id']}/documents",
            headers=tokens.enterprise(uscc),
            files={"file": ("财务报告.pdf", statement, "application/pdf")},
            data={"kind": "financial_statements"},
        )
        assert reused.status_code == 201, reused.text
        upload_required_evidence(http, tokens, application)  # its own, distinct, files too
        submitted = http.post(
            f"/api/v1/applications/{application['id']}/submit", headers=tokens.enterprise(uscc)
        )
        assert submitted.status_code == 200, submitted.text

    case = eventually(
        lambda: (
            (c := case_detail(http, tokens, application["id"]))
            and any(w["code"] == "document_reused" for w in c["warnings"])
            and c
        ),
        what="the document_reused warning",
        timeout=60,
    )
    [warning] = [w for w in case["warnings"] if w["code"] == "document_reused"]
    assert warning["severity"] == "block"
    assert first_uscc in warning["message"]


def test_refusals_through_the_gateway(http: httpx.Client, tokens: Tokens) -> None:
    uscc = new_uscc()
    application = draft(http, tokens, uscc)
    documents = f"/api/v1/applications/{application['id']}/documents"
    me = tokens.enterprise(uscc)

    renamed = http.post(
        documents,
        headers=me,
        files={"file": ("report.pdf", b"MZ\x90\x00" + b"\x00" * 1000, "application/pdf")},
        data={"kind": "financial_statements"},
    )
    assert renamed.status_code == 422
    assert renamed.json()["error"]["details"][0]["loc"] == ["body", "file"]

    big = sample_pdf("big") + b"\n" + b"0" * (21 * 1024 * 1024)
    too_large = http.post(
        documents,
        headers=me,
        files={"file": ("big.pdf", big, "application/pdf")},
        data={"kind": "financial_statements"},
    )
    assert too_large.status_code == 413
    assert too_large.json()["error"]["code"] == "file_too_large"
    assert http.get(documents, headers=me).json()["items"] == []
