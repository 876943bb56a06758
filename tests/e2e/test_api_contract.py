"""Issue 11: the gateway's OpenAPI document is the truth, against the running stack.

- `/openapi.json` at the gateway is the committed document; `/docs` and `/redoc` load
  every asset from the gateway alone (no CDN);
- the gateway's own errors use the error envelope, headers are not duplicated;
- Schemathesis (seeded, bounded) calls every operation with no token and a token of each
  role, positive and negative data, and (coverage phase) the boundary values of every
  schema the public operations and the province's request bodies read: no 5xx, no status
  code or body the document does not declare;
- the generated TypeScript client drives the enterprise's happy path.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from localdev.openapi_doc import DOCUMENT
from localdev.paths import REPO_ROOT
from localdev.stack import Stack
from localdev.testing import Tokens

from .helpers import form_for, new_uscc

pytestmark = pytest.mark.e2e

CLIENT_DIR = REPO_ROOT / "clients" / "typescript"
# Checks of the contract: answers the document declares (statuses, media types, bodies).
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance"
)
EXAMPLES_PER_OPERATION = 3
SEED = 20261130
# The coverage phase sends the boundary values of every schema (each enum value, each
# length and pattern limit, each missing required field): deterministic, and not bounded by
# --max-examples. Over all 76 operations it takes over 4 minutes a role on this machine, so
# it runs where boundaries reach the code: with no token on the public operations (every
# other one answers 401 before reading its input), and with the province's token on the
# operations with a request body the province may call. `unexpected-methods = []`: the
# gateway's 405 is tested on its own (test_gateway_errors_...).
COVERAGE_CONFIG = "[phases.coverage]\nunexpected-methods = []\n"


@pytest.fixture(scope="module")
def gateway(stack: Stack) -> httpx.Client:
    return httpx.Client(base_url=stack.gateway_url, timeout=20)


def test_the_gateway_serves_the_committed_document(gateway: httpx.Client) -> None:
    served = gateway.get("/openapi.json")
    assert served.status_code == 200
    assert served.json() == json.loads(DOCUMENT.read_text("utf-8"))


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_load_every_asset_from_the_gateway(gateway: httpx.Client, page: str) -> None:
    html = gateway.get(page)
    assert html.status_code == 200, html.text
    assets = re.findall(r"""(?:src|href|spec-url)=["']([^"']+)["']""", html.text)
    assets += re.findall(r"""url:\s*['"]([^'"]+)['"]""", html.text)  # the document itself
    assert assets, html.text
    for asset in assets:
        assert asset.startswith("/"), f"{page} loads {asset} from elsewhere"
        answer = gateway.get(asset)
        assert answer.status_code == 200, asset
        assert answer.content, asset
    assert "/openapi.json" in assets


def test_gateway_errors_use_the_envelope_and_headers_are_not_repeated(
    gateway: httpx.Client,
) -> None:
    for method, path, status in [
        ("GET", "/nowhere", 404),
        ("TRACE", "/api/v1/policy", 405),
    ]:
        answer = gateway.request(method, path)
        assert answer.status_code == status, (method, path)
        assert answer.headers["content-type"].startswith("application/json")
        assert set(answer.json()["error"]) >= {"code", "message", "message_en", "details"}
    proxied = gateway.get("/api/v1/policy")
    for header in ("date", "server"):
        assert len(proxied.headers.get_list(header)) <= 1, proxied.headers


def test_unparsable_json_is_422_with_the_position(gateway: httpx.Client) -> None:
    for body, position in [(b'{"year": 2026,', 14), (b'{"year": \xff}', 9)]:
        answer = gateway.post(
            "/api/v1/evaluations/preview",
            content=body,
            headers={"content-type": "application/json"},
        )
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"]["details"][0]["loc"] == ["body", position]


def _schemathesis(
    stack: Stack,
    headers: dict[str, str],
    label: str,
    workdir: Path,
    phases: str = "examples,fuzzing",
    operation_ids: list[str] | None = None,
) -> None:
    config = workdir / "schemathesis.toml"
    config.write_text(COVERAGE_CONFIG, "utf-8")
    command = [
        str(Path(sys.executable).with_name("st")),
        f"--config-file={config}",
        "run",
        f"{stack.gateway_url}/openapi.json",
        f"--checks={CHECKS}",
        f"--max-examples={EXAMPLES_PER_OPERATION}",
        f"--seed={SEED}",
        "--mode=all",
        f"--phases={phases}",
        "--generation-deterministic",
        "--no-shrink",
        "--continue-on-failure",
        "--request-timeout=20",
        "--warnings=off",
        "--no-color",
    ]
    for name, value in headers.items():
        command.append(f"--header={name}: {value}")
    command += [f"--include-operation-id={op}" for op in operation_ids or ()]
    # In a scratch folder: Schemathesis keeps a cache of past failures in its working
    # directory and would replay them; each run stands on its seed alone.
    run = subprocess.run(
        command, capture_output=True, text=True, timeout=600, check=False, cwd=workdir
    )
    assert run.returncode == 0, f"schemathesis as {label}:\n{run.stdout[-20000:]}{run.stderr}"


@pytest.mark.parametrize("role", ["none", "enterprise", "agency", "province", "external"])
def test_every_operation_answers_as_documented(
    stack: Stack, tokens: Tokens, role: str, tmp_path: Path
) -> None:
    headers = {
        "none": {},
        "enterprise": tokens.enterprise(new_uscc()),
        "agency": tokens.agency("150100"),
        "province": tokens.province(),
        "external": tokens.external(),
    }[role]
    _schemathesis(stack, headers, role, tmp_path)


def _operations() -> list[dict[str, Any]]:
    document = json.loads(DOCUMENT.read_text("utf-8"))
    return [op for item in document["paths"].values() for op in item.values()]


def test_public_operations_answer_boundary_values_as_documented(
    stack: Stack, tmp_path: Path
) -> None:
    public = [
        op["operationId"] for op in _operations() if not op.get("security") or {} in op["security"]
    ]
    assert "evaluations_preview" in public
    _schemathesis(stack, {}, "none (coverage)", tmp_path, "coverage", public)


def test_province_bodies_answer_boundary_values_as_documented(
    stack: Stack, tokens: Tokens, tmp_path: Path
) -> None:
    with_body = [
        op["operationId"]
        for op in _operations()
        if "requestBody" in op and "province" in op.get("x-roles", [])
    ]
    assert "revocations_create" in with_body
    _schemathesis(stack, tokens.province(), "province (coverage)", tmp_path, "coverage", with_body)


def test_the_typescript_client_drives_the_happy_path(
    stack: Stack, tokens: Tokens, tmp_path: Path
) -> None:
    script = CLIENT_DIR / "dist" / "happy-path.js"
    assert script.exists(), "compile the client first: make client"
    uscc = new_uscc()
    form = tmp_path / "form.json"
    form.write_text(json.dumps(form_for(uscc)), "utf-8")
    token = tokens.enterprise(uscc)["Authorization"].removeprefix("Bearer ")
    run = subprocess.run(
        ["node", str(script)],
        env={**os.environ, "SME_API": stack.gateway_url, "SME_TOKEN": token, "SME_FORM": str(form)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    steps = [json.loads(line) for line in run.stdout.splitlines()]
    assert [s["step"] for s in steps] == [
        "registerProfile",
        "createDraft",
        "uploadEvidence",
        "submit",
        "readStatus",
    ]
    assert steps[-1]["result"]["status"] == "submitted"
