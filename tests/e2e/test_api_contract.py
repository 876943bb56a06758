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
from collections.abc import Iterator
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


def _command(
    stack: Stack,
    headers: dict[str, str],
    config: Path,
    phases: str = "examples,fuzzing",
    operation_ids: list[str] | None = None,
) -> list[str]:
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
    return command


def _operations() -> list[dict[str, Any]]:
    document = json.loads(DOCUMENT.read_text("utf-8"))
    return [op for item in document["paths"].values() for op in item.values()]


ROLES = ("none", "enterprise", "agency", "province", "external")
COVERAGE_RUNS = ("public boundaries", "province body boundaries")


@pytest.fixture(scope="module")
def schemathesis_runs(
    stack: Stack, tokens: Tokens, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, subprocess.Popen[str]]]:
    """Every Schemathesis run, started at once: each run waits on one request at a time,
    so side by side they take the time of the longest, not the sum (the test stays within
    a few minutes). Each test below waits for its own run and reports it."""
    headers = {
        "none": {},
        "enterprise": tokens.enterprise(new_uscc()),
        "agency": tokens.agency("150100"),
        "province": tokens.province(),
        "external": tokens.external(),
    }
    public = [
        op["operationId"] for op in _operations() if not op.get("security") or {} in op["security"]
    ]
    with_body = [
        op["operationId"]
        for op in _operations()
        if "requestBody" in op and "province" in op.get("x-roles", [])
    ]
    assert "evaluations_preview" in public
    assert "revocations_create" in with_body
    runs: dict[str, subprocess.Popen[str]] = {}
    for label in (*ROLES, *COVERAGE_RUNS):
        # In a scratch folder each: Schemathesis keeps a cache of past failures in its
        # working directory and would replay them; each run stands on its seed alone.
        workdir = tmp_path_factory.mktemp("schemathesis")
        config = workdir / "schemathesis.toml"
        config.write_text(COVERAGE_CONFIG, "utf-8")
        if label == "public boundaries":
            command = _command(stack, {}, config, "coverage", public)
        elif label == "province body boundaries":
            command = _command(stack, headers["province"], config, "coverage", with_body)
        else:
            command = _command(stack, headers[label], config)
        runs[label] = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=workdir
        )
    yield runs
    for run in runs.values():
        if run.poll() is None:
            run.kill()
            run.wait()


def _passes(runs: dict[str, subprocess.Popen[str]], label: str) -> None:
    output, _ = runs[label].communicate(timeout=600)
    assert runs[label].returncode == 0, f"schemathesis, {label}:\n{output[-20000:]}"


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_as_documented(
    schemathesis_runs: dict[str, subprocess.Popen[str]], role: str
) -> None:
    """Examples and seeded fuzzing of every operation with no token or a role's token."""
    _passes(schemathesis_runs, role)


@pytest.mark.parametrize("run", COVERAGE_RUNS)
def test_boundary_values_answer_as_documented(
    schemathesis_runs: dict[str, subprocess.Popen[str]], run: str
) -> None:
    """The coverage phase: public operations with no token, the province's request bodies."""
    _passes(schemathesis_runs, run)


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
