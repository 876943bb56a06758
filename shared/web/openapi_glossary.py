"""Bilingual descriptions of the API's fields, by field name, for the OpenAPI document.

A model's own `Field(description=...)` wins; a field without one takes the entry here for
`"<Schema>.<field>"`, else for `"<field>"`. `tests/contract/test_openapi_complete.py` fails
for any field left without a description, so a new field needs one line here (or a
description on the model). Format: "中文 / English".
"""

from __future__ import annotations

from typing import Any

FIELDS: dict[str, str] = {}


def describe_schemas(schemas: dict[str, Any]) -> None:
    for name, schema in schemas.items():
        for field, prop in (schema.get("properties") or {}).items():
            if prop.get("description"):
                continue
            text = FIELDS.get(f"{name}.{field}") or FIELDS.get(field)
            if text:
                prop["description"] = text
