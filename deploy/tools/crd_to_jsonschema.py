"""Turn CustomResourceDefinitions into the JSON schemas kubeconform reads.

    python deploy/tools/crd_to_jsonschema.py --out deploy/tools/schemas CRD.yaml...

For every served version of every CRD in the given files this writes
`<out>/<group>/<kind>_<version>.json` (kind in lower case), the layout behind the kubeconform
flag `-schema-location '<out>/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json'`.
It follows kubeconform's `openapi2jsonschema.py`:

- the version's `openAPIV3Schema` is the schema;
- strict: an object with `properties` and no `additionalProperties` gets
  `additionalProperties: false` (kubectl's and the API server's pruning/strict field
  validation reject unknown fields there too); objects marked
  `x-kubernetes-preserve-unknown-fields` keep accepting anything;
- `x-kubernetes-int-or-string` / `format: int-or-string` becomes "string or integer".

Descriptions are dropped to keep the vendored files small; nothing that validates is changed.
The CRD files themselves are not kept in the repository (see schemas/README.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

INT_OR_STRING = {"oneOf": [{"type": "string"}, {"type": "integer"}]}


def convert(node: Any, field_names: bool = False) -> Any:
    """`field_names`: `node` is a `properties` mapping, whose keys are fields, not keywords."""
    if isinstance(node, list):
        return [convert(item) for item in node]
    if not isinstance(node, dict):
        return node
    if field_names:
        return {k: convert(v) for k, v in node.items()}
    if node.get("x-kubernetes-int-or-string") or node.get("format") == "int-or-string":
        return dict(INT_OR_STRING)
    out = {k: convert(v, k == "properties") for k, v in node.items() if k != "description"}
    if (
        "properties" in out
        and "additionalProperties" not in out
        and not out.get("x-kubernetes-preserve-unknown-fields")
    ):
        out["additionalProperties"] = False
    return out


def schemas_of(crd: dict[str, Any]) -> dict[str, dict[str, Any]]:
    spec = crd["spec"]
    group, kind = spec["group"], spec["names"]["kind"]
    out = {}
    for version in spec["versions"]:
        if not version.get("served", False):
            continue
        schema = convert(version["schema"]["openAPIV3Schema"])
        out[f"{group}/{kind.lower()}_{version['name']}.json"] = schema
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("crds", nargs="+", type=Path)
    args = parser.parse_args(argv)
    for path in args.crds:
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if not doc or doc.get("kind") != "CustomResourceDefinition":
                continue
            for rel, schema in schemas_of(doc).items():
                target = args.out / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                text = json.dumps(schema, indent=1, sort_keys=True, ensure_ascii=False)
                target.write_text(text + "\n", encoding="utf-8")
                print(f"{path.name} -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
