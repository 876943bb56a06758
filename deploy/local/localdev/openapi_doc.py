"""The gateway's one OpenAPI document: the four services' documents merged under /api/v1.

Built from the code (each service's routes, without a database), committed at
`openapi/openapi.json`; `make openapi` writes it, `make openapi-check` fails when the
committed file differs from the code or does not validate (openapi-spec-validator).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from functools import cache
from typing import Any

from localdev.paths import REPO_ROOT
from shared.platform.web.app import ServiceSpec, api_app
from shared.platform.web.openapi import API_VERSION, GATEWAY_TITLE

DOCUMENT = REPO_ROOT / "openapi" / "openapi.json"
SERVICES = ("intake", "review", "supervision", "tracking")
TITLE = GATEWAY_TITLE
DESCRIPTION = (
    "内蒙古科技型中小企业评价系统的全部接口，经同一网关地址提供。错误一律为 ErrorEnvelope；"
    "金额为至多两位小数的十进制字符串，日期为 YYYY-MM-DD。\n\n"
    "Every endpoint of the Inner Mongolia S&T SME evaluation system, served at one gateway "
    "address. Every error is an ErrorEnvelope; money is a decimal string with at most two "
    "decimals, dates are YYYY-MM-DD."
)


def service_document(service: str) -> dict[str, Any]:
    spec: ServiceSpec = importlib.import_module(f"{service}.bootstrap").SPEC
    document: dict[str, Any] = api_app(spec).openapi()
    return document


def _qualify_clashes(documents: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Two services with different schemas of one name (review's and supervision's
    `CaseOut`): each gets its service's name in front (`ReviewCaseOut`), refs included."""
    seen: dict[str, list[tuple[str, Any]]] = {}
    for service, document in documents.items():
        for name, schema in document.get("components", {}).get("schemas", {}).items():
            seen.setdefault(name, []).append((service, schema))
    clashes = {name for name, owners in seen.items() if any(s != owners[0][1] for _, s in owners)}
    if not clashes:
        return documents
    qualified = {}
    for service, document in documents.items():
        text = json.dumps(document, ensure_ascii=False)
        for name in clashes:
            new = service.capitalize() + name
            text = text.replace(f'"#/components/schemas/{name}"', f'"#/components/schemas/{new}"')
        renamed = json.loads(text)
        schemas = renamed.get("components", {}).get("schemas", {})
        for name in clashes & set(schemas):
            schemas[service.capitalize() + name] = schemas.pop(name)
        qualified[service] = renamed
    # Renaming `CaseOut` makes the schemas that refer to it (`Page_CaseOut_`) clash in turn.
    return _qualify_clashes(qualified)


def merge(documents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The /api/v1 paths of every service and their components (clashing schema names
    qualified by service)."""
    documents = _qualify_clashes(documents)
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    security: dict[str, Any] = {}
    tags: dict[str, dict[str, Any]] = {}
    for service, document in documents.items():
        for path, item in document.get("paths", {}).items():
            if not path.startswith("/api/v1/"):
                continue
            if path in paths:
                raise ValueError(f"{path} is served by two services ({service})")
            paths[path] = item
            for operation in item.values():
                for tag in operation.get("tags", []):
                    tags.setdefault(tag, {"name": tag, "x-service": service})
        components = document.get("components", {})
        for name, schema in components.get("schemas", {}).items():
            if name in schemas and schemas[name] != schema:
                raise ValueError(f"schema {name} differs between services ({service})")
            schemas[name] = schema
        security.update(components.get("securitySchemes", {}))
    return {
        "openapi": next(iter(documents.values()))["openapi"],
        "info": {"title": TITLE, "version": API_VERSION, "description": DESCRIPTION},
        "servers": [{"url": "/", "description": "网关 / The gateway"}],
        "tags": sorted(tags.values(), key=lambda t: t["name"]),
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": dict(sorted(schemas.items())), "securitySchemes": security},
    }


@cache
def gateway_document() -> dict[str, Any]:
    return merge({service: service_document(service) for service in SERVICES})


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def validate(document: dict[str, Any]) -> None:
    from openapi_spec_validator import validate as spec_validate

    spec_validate(document)  # raises with the path of the first problem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="localdev.openapi_doc")
    parser.add_argument("action", choices=["write", "check"])
    args = parser.parse_args(argv)
    document = gateway_document()
    validate(document)
    text = render(document)
    if args.action == "write":
        DOCUMENT.parent.mkdir(exist_ok=True)
        DOCUMENT.write_text(text, "utf-8")
        print(f"wrote {DOCUMENT.relative_to(REPO_ROOT)}")
        return 0
    if not DOCUMENT.exists() or DOCUMENT.read_text("utf-8") != text:
        print(
            f"{DOCUMENT.relative_to(REPO_ROOT)} does not match the code: run `make openapi` "
            "and commit it",
            file=sys.stderr,
        )
        return 1
    print(f"{DOCUMENT.relative_to(REPO_ROOT)} matches the code and validates")
    return 0


if __name__ == "__main__":
    sys.exit(main())
