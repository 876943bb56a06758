"""Issue 11: the gateway's OpenAPI document stays complete as endpoints are added.

Walks the document generated from the code (the same one `make openapi` commits) and
fails, naming the operation or field, for anything a portal developer would have to guess.
How to satisfy it when adding an endpoint: README "API contract (OpenAPI)".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest
from jsonschema import Draft202012Validator, FormatChecker

from localdev.openapi_doc import gateway_document, validate
from shared.platform.web.openapi import BEARER, ENVELOPE_REF, is_bilingual

OPERATION_ID = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
METHODS = ("get", "put", "post", "delete", "patch")


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return gateway_document()


def _operations(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", op)
        for path, item in document["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def test_the_document_validates(document: dict[str, Any]) -> None:
    validate(document)


def test_every_operation_has_an_id_a_summary_and_a_description(document: dict[str, Any]) -> None:
    problems = []
    for name, op in _operations(document):
        if not OPERATION_ID.match(op.get("operationId", "")):
            problems.append(f"{name}: operationId {op.get('operationId')!r}")
        if not is_bilingual(op.get("summary")):
            problems.append(
                f"{name}: summary {op.get('summary')!r} is not '中文 / English' "
                "(shared/platform/web/openapi_summaries.py or summary= on the route)"
            )
        if not is_bilingual(op.get("description", "").split("\n\n角色")[0]):
            problems.append(f"{name}: no bilingual description (the route's docstring)")
    assert not problems, "\n".join(problems)


def test_every_error_is_the_envelope_and_every_operation_lists_its_errors(
    document: dict[str, Any],
) -> None:
    problems = []
    for name, op in _operations(document):
        responses = op["responses"]
        expected = {"503"}
        if op.get("parameters") or op.get("requestBody"):
            expected.add("422")
        if any(p["in"] == "path" for p in op.get("parameters", [])):
            expected.add("404")
        if op.get("requestBody"):
            expected.add("413")
        if op.get("security"):
            expected.add("401")
        if op.get("security") == [{BEARER: []}]:
            expected.add("403")
        if missing := expected - set(responses):
            problems.append(f"{name}: no {sorted(missing)} response")
        for status, response in responses.items():
            if int(status) >= 400:
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                if schema != {"$ref": ENVELOPE_REF}:
                    problems.append(f"{name}: {status} is not the ErrorEnvelope")
            for media_type, content in response.get("content", {}).items():
                if not content.get("schema"):
                    problems.append(f"{name}: {status} {media_type} has no schema")
    assert "HTTPValidationError" not in str(document)
    assert not problems, "\n".join(problems)


def test_protected_operations_need_the_bearer_token_and_public_ones_do_not(
    document: dict[str, Any],
) -> None:
    assert document["components"]["securitySchemes"][BEARER]["scheme"] == "bearer"
    for name, op in _operations(document):
        if op.get("x-roles"):
            assert op.get("security") == [{BEARER: []}], name
        else:
            assert op.get("security") in (None, [{}, {BEARER: []}]), name


def test_every_field_and_parameter_is_described_in_chinese_and_english(
    document: dict[str, Any],
) -> None:
    problems = []
    for schema_name, schema in document["components"]["schemas"].items():
        for field, prop in (schema.get("properties") or {}).items():
            if not is_bilingual(prop.get("description")):
                problems.append(f"{schema_name}.{field}: {prop.get('description')!r}")
    for name, op in _operations(document):
        for parameter in op.get("parameters", []):
            if not is_bilingual(parameter.get("description")):
                problems.append(f"{name} parameter {parameter['name']}")
    assert not problems, (
        "undescribed (add a Field(description='中文 / English') or a line in "
        "shared/platform/web/openapi_glossary.py):\n" + "\n".join(problems)
    )


def test_operation_ids_are_stable(document: dict[str, Any]) -> None:
    ids = {name: op["operationId"] for name, op in _operations(document)}
    assert ids["POST /api/v1/applications/{application_id}/submit"] == "applications_submit"
    assert ids["GET /api/v1/applications"] == "applications_list"
    assert len(set(ids.values())) == len(ids)


def _validator(document: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    # The schema with the document's components beside it, so "#/components/..." resolves.
    return Draft202012Validator(
        {**schema, "components": document["components"]}, format_checker=FormatChecker()
    )


def _errors(document: dict[str, Any], schema: dict[str, Any], instance: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message[:200]}"
        for e in _validator(document, schema).iter_errors(instance)
    ]


def test_every_success_response_shows_an_example_that_fits_its_schema(
    document: dict[str, Any],
) -> None:
    """Swagger UI and ReDoc show the example of every 2xx JSON answer (on the response or on
    the component schema it refers to, shared/platform/web/openapi_examples.py); each one
    validates."""
    schemas = document["components"]["schemas"]
    problems = []
    for name, op in _operations(document):
        for status, response in op["responses"].items():
            media = response.get("content", {}).get("application/json")
            if not status.startswith("2") or media is None:
                continue
            schema = media["schema"]
            target = schemas[schema["$ref"].rsplit("/", 1)[-1]] if "$ref" in schema else schema
            examples = [media["example"]] if "example" in media else target.get("examples", [])
            if not examples:
                problems.append(f"{name}: {status} has no example")
            for example in examples:
                problems += [
                    f"{name}: {status} example {e}" for e in _errors(document, schema, example)
                ]
    assert not problems, "\n".join(problems)


def _subschemas(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from _subschemas(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _subschemas(value, f"{where}/{i}")


def test_every_example_in_the_schemas_fits_its_own_schema(document: dict[str, Any]) -> None:
    problems = []
    for where, schema in _subschemas(document["components"]["schemas"], "#/components/schemas"):
        examples = schema.get("examples")
        if not isinstance(examples, list):
            continue  # absent, or a property named "examples" (a schema, not the keyword)
        own = {k: v for k, v in schema.items() if k != "examples"}
        for example in examples:
            problems += [f"{where}: {e}" for e in _errors(document, own, example)]
    assert not problems, "\n".join(problems)


def _response_schemas(document: dict[str, Any]) -> set[str]:
    """Names of the component schemas an answer can contain (2xx, transitively)."""
    schemas = document["components"]["schemas"]
    seen: set[str] = set()
    todo = [
        response
        for _, op in _operations(document)
        for status, response in op["responses"].items()
        if status.startswith("2")
    ]
    while todo:
        node = todo.pop()
        for _, sub in _subschemas(node, ""):
            ref = sub.get("$ref")
            if isinstance(ref, str) and (name := ref.rsplit("/", 1)[-1]) not in seen:
                seen.add(name)
                todo.append(schemas[name])
    return seen


CLOSED_FIELDS = ("status", "state", "origin", "ground", "revocation_ground", "finding", "severity")


def test_status_fields_of_answers_are_enums(document: dict[str, Any]) -> None:
    """A portal switches on these: the document lists their values (from the domain's
    enums, shared/platform/web/openapi.py `closed_set`)."""
    schemas = document["components"]["schemas"]
    problems = []
    for name in sorted(_response_schemas(document)):
        for field, prop in (schemas[name].get("properties") or {}).items():
            if field not in CLOSED_FIELDS:
                continue
            branches = prop.get("anyOf", [prop])
            if not any("enum" in b or "$ref" in b for b in branches if b.get("type") != "null"):
                problems.append(f"{name}.{field}: no enum")
    assert not problems, "\n".join(problems)


def test_a_service_serves_the_gateway_document_and_offline_docs_behind_compose_and_k8s() -> None:
    """Behind the compose and Kubernetes gateways, routes.yaml sends /openapi.json, /docs and
    /redoc to intake, whose image carries the committed document and ReDoc's bundle
    (deploy/docker/Dockerfile sets SME_GATEWAY_OPENAPI and SME_REDOC_BUNDLE, which
    `create_service_app` passes to `install_gateway_docs`)."""
    from intake.bootstrap import SPEC
    from localdev.gateway import REDOC_BUNDLE
    from localdev.openapi_doc import DOCUMENT
    from shared.platform.web.app import api_app
    from shared.platform.web.openapi_docs import install_gateway_docs

    assert REDOC_BUNDLE.is_file(), "ReDoc's bundle comes with the client's tools: make client"
    app = api_app(SPEC)  # the routes only: no database, no broker
    install_gateway_docs(app, DOCUMENT, REDOC_BUNDLE)

    async def fetch_all() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://intake") as client:
            served = await client.get("/openapi.json")
            assert served.status_code == 200
            assert served.content == DOCUMENT.read_bytes()
            for page in ("/docs", "/redoc"):
                html = await client.get(page)
                assert html.status_code == 200, page
                assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html.text)
                assert assets, page
                for asset in assets:
                    assert asset.startswith("/"), f"{page} loads {asset} from elsewhere"
                    assert (await client.get(asset)).status_code == 200, asset

    anyio.run(fetch_all)
