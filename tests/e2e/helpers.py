"""Small helpers for end-to-end tests: distinct enterprises, forms, polling with a deadline."""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from localdev.evidence import required_uploads, upload_fields
from localdev.testing import Tokens
from shared.kernel.codes.uscc import ALPHABET, with_check_digit
from shared.kernel.evaluation.samples import sample_document

T = TypeVar("T")
_counter = itertools.count()


def new_uscc(region: str = "150105") -> str:
    """A valid, unique USCC registered in `region` (positions 3-8)."""
    tail = "".join(ALPHABET[b % 31] for b in uuid.uuid4().bytes[:7])
    first17 = f"91{region}{ALPHABET[next(_counter) % 31]}{tail}"[:17]
    return with_check_digit(first17.ljust(17, "0"))


def form_for(uscc: str, region: str = "150105", **changes: Any) -> dict[str, Any]:
    document = sample_document(
        {
            "enterprise.uscc": uscc,
            "enterprise.region_code": region,
            "enterprise.name": f"内蒙古测试企业{uscc[-6:]}有限公司",
        }
    )
    for path, value in changes.items():
        node: Any = document
        *parents, last = path.split(".")
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[last] = value
    return document


def eventually(
    probe: Callable[[], T | None],
    *,
    timeout: float = 30.0,
    every: float = 0.2,
    what: str = "condition",
) -> T:
    """Poll until `probe` returns something truthy; fail with `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}; last: {last!r}")


def submit_new_application(
    client: httpx.Client, tokens: Tokens, uscc: str, region: str = "150105"
) -> dict[str, Any]:
    headers = tokens.enterprise(uscc)
    created = client.post("/api/v1/applications", json=form_for(uscc, region), headers=headers)
    assert created.status_code == 201, created.text
    upload_required_evidence(client, tokens, created.json())
    submitted = client.post(f"/api/v1/applications/{created.json()['id']}/submit", headers=headers)
    assert submitted.status_code == 200, submitted.text
    body: dict[str, Any] = submitted.json()
    return body


def upload_required_evidence(
    client: httpx.Client, tokens: Tokens, application: dict[str, Any]
) -> list[dict[str, Any]]:
    """Upload the evidence the application's form needs before it can be submitted."""
    uscc = application["uscc"]
    uploaded = []
    for kind, refers_to in required_uploads(application["form"]):
        response = client.post(
            f"/api/v1/applications/{application['id']}/documents",
            headers=tokens.enterprise(uscc),
            **upload_fields(uscc, kind, refers_to),
        )
        assert response.status_code == 201, response.text
        uploaded.append(response.json())
    return uploaded


def cases_of(
    client: httpx.Client, tokens: Tokens, agency: str, **params: Any
) -> list[dict[str, Any]]:
    """Every review case an agency sees (all pages)."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {"limit": 500, **params, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/review-cases", params=query, headers=tokens.agency(agency))
        assert page.status_code == 200, page.text
        items.extend(page.json()["items"])
        cursor = page.json()["next_cursor"]
        if not cursor:
            return items


def file_objection(
    http: httpx.Client,
    uscc: str,
    batch_id: str,
    *,
    filer_name: str = "李四",
    filer_phone: str = "13712345678",
    timeout: float = 60.0,
) -> dict[str, Any]:
    """A named person objects during the publicity period (public filing, no token), as soon
    as supervision has received the batch's publicity event."""
    body = {
        "kind": "objection",
        "subject_uscc": uscc,
        "batch_id": batch_id,
        "grounds": "研发费用不实",
        "facts": "该企业研发人员多为行政人员兼任，研发费用归集不实。",
        "evidence": [{"kind": "document", "description": "人员花名册", "reference": "e2e-1"}],
        "filer": {"type": "person", "name": filer_name, "phone": filer_phone},
    }

    def filed() -> httpx.Response | None:
        response = http.post("/api/v1/cases", json=body)
        if response.status_code == 422 and response.json()["error"]["code"] == "batch_unknown":
            return None  # the publicity event is still on its way to supervision
        return response

    response = eventually(filed, timeout=timeout, what="supervision to know the batch")
    assert response.status_code == 201, response.text
    case: dict[str, Any] = response.json()
    return case
