"""The schema evolution check: breaking changes to a released event schema are named,
additive ones pass (architecture.md "Events": a break is a new .v2 type, never an edit)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from shared.kernel.events.evolution import breaking_changes, check, record
from shared.kernel.events.schema_export import SCHEMA_DIR

RELEASED: dict[str, Any] = {
    "$defs": {
        "Entry": {
            "type": "object",
            "properties": {"uscc": {"type": "string"}, "name": {"type": "string"}},
            "required": ["uscc"],
            "title": "Entry",
        }
    },
    "type": "object",
    "properties": {
        "number": {"type": "string"},
        "year": {"type": "integer"},
        "ratio": {"type": "number"},
        "ground": {"enum": ["credit_listing", "major_incident"], "type": "string"},
        "reason": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "entries": {"type": "array", "items": {"$ref": "#/$defs/Entry"}},
    },
    "required": ["number", "year", "entries"],
}


def changed(edit: Any) -> dict[str, Any]:
    schema = copy.deepcopy(RELEASED)
    edit(schema)
    return schema


def problems(new: dict[str, Any]) -> list[str]:
    return [str(b) for b in breaking_changes(RELEASED, new)]


def test_the_same_schema_is_compatible() -> None:
    assert problems(copy.deepcopy(RELEASED)) == []


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda s: s["properties"].pop("ratio"), "data.ratio: field removed (or renamed)"),
        (
            lambda s: s["properties"].update(grounds=s["properties"].pop("ground")),
            "data.ground: field removed (or renamed)",
        ),
        (lambda s: s["required"].append("reason"), "data.reason: field made required"),
        (
            lambda s: (
                s["properties"].update(documents={"type": "array"})
                or s["required"].append("documents")
            ),
            "data.documents: new field is required",
        ),
        (
            lambda s: s["properties"].update(reason={"type": "string"}),
            "data.reason: type narrowed from null | string to string (no longer accepts null)",
        ),
        (
            lambda s: s["properties"].update(ratio={"type": "integer"}),
            "data.ratio: type narrowed from number to integer",
        ),
        (
            lambda s: s["properties"]["ground"].update(enum=["credit_listing"]),
            'data.ground: enum narrowed: "major_incident" no longer allowed',
        ),
        (
            lambda s: s["properties"].update(number={"type": "string", "enum": ["A"]}),
            'data.number: values restricted to "A"',
        ),
        (
            lambda s: s["$defs"]["Entry"]["properties"].pop("name"),
            "data.entries[].name: field removed (or renamed)",
        ),
        (
            lambda s: s["$defs"]["Entry"]["required"].append("name"),
            "data.entries[].name: field made required",
        ),
    ],
    ids=[
        "removed",
        "renamed",
        "made-required",
        "new-required",
        "optional-to-required-type",
        "number-to-integer",
        "enum-narrowed",
        "enum-introduced",
        "nested-removed",
        "nested-made-required",
    ],
)
def test_a_breaking_change_is_named_by_its_field(edit: Any, expected: str) -> None:
    found = problems(changed(edit))
    assert any(p.startswith(expected) for p in found), found


@pytest.mark.parametrize(
    "edit",
    [
        lambda s: s["properties"].update(documents={"type": "array", "default": []}),
        lambda s: s["properties"]["ground"]["enum"].append("size_condition"),
        lambda s: s["properties"].update(year={"type": "number"}),
        lambda s: s["properties"].update(number={"anyOf": [{"type": "string"}, {"type": "null"}]}),
        lambda s: s["required"].remove("year"),
        lambda s: s["$defs"]["Entry"]["properties"].update(region={"type": "string"}),
        lambda s: s["properties"]["reason"].update(description="why, in Chinese"),
    ],
    ids=[
        "optional-field-added",
        "enum-value-added",
        "integer-to-number",
        "made-nullable",
        "made-optional",
        "nested-field-added",
        "description-changed",
    ],
)
def test_an_additive_change_passes(edit: Any) -> None:
    assert problems(changed(edit)) == []


UNION: dict[str, Any] = {
    "$defs": {
        "Award": {
            "type": "object",
            "title": "Award",
            "properties": {"kind": {"const": "award"}, "level": {"type": "string"}},
        },
        "Standard": {
            "type": "object",
            "title": "Standard",
            "properties": {"kind": {"const": "standard"}, "code": {"type": "string"}},
        },
    },
    "type": "object",
    "properties": {
        "claims": {
            "type": "array",
            "items": {
                "oneOf": [{"$ref": "#/$defs/Award"}, {"$ref": "#/$defs/Standard"}],
                "discriminator": "kind",
            },
        }
    },
}


def test_a_union_variant_removed_or_changed_is_named() -> None:
    new = copy.deepcopy(UNION)
    new["properties"]["claims"]["items"]["oneOf"].pop()
    assert [str(b) for b in breaking_changes(UNION, new)] == [
        "data.claims[]: variant 'Standard' removed"
    ]
    new = copy.deepcopy(UNION)
    new["$defs"]["Award"]["properties"].pop("level")
    assert [str(b) for b in breaking_changes(UNION, new)] == [
        "data.claims[]<Award>.level: field removed (or renamed)"
    ]


def _write(directory: Path, name: str, schema: dict[str, Any]) -> None:
    directory.mkdir(exist_ok=True)
    (directory / f"{name}.json").write_text(json.dumps(schema))


def test_the_check_names_the_type_and_field_and_lets_new_types_pass(tmp_path: Path) -> None:
    baseline, current = tmp_path / "baseline", tmp_path / "schemas"
    _write(baseline, "cn.sme.x.issued.v1", RELEASED)
    _write(baseline, "cn.sme.x.gone.v1", RELEASED)
    _write(current, "cn.sme.x.issued.v1", changed(lambda s: s["properties"].pop("year")))
    _write(current, "cn.sme.x.closed.v1", {"type": "object"})  # new: no baseline yet
    assert check(baseline, current) == [
        "cn.sme.x.gone.v1: released event type removed",
        "cn.sme.x.issued.v1: data.year: field removed (or renamed)",
    ]


def test_recording_keeps_what_was_released_and_adds_new_v1_types(tmp_path: Path) -> None:
    baseline, current = tmp_path / "baseline", tmp_path / "schemas"
    _write(baseline, "cn.sme.x.issued.v1", RELEASED)
    _write(current, "cn.sme.x.issued.v1", {"type": "object", "properties": {}})
    _write(current, "cn.sme.x.closed.v1", RELEASED)
    _write(current, "cn.sme.x.issued.v2", RELEASED)
    assert record(baseline, current) == 1
    assert sorted(p.name for p in baseline.iterdir()) == [
        "cn.sme.x.closed.v1.json",
        "cn.sme.x.issued.v1.json",
    ]
    assert json.loads((baseline / "cn.sme.x.issued.v1.json").read_text()) == RELEASED


def test_the_committed_schemas_are_compatible_with_the_released_baseline() -> None:
    assert check(schema_dir=SCHEMA_DIR) == []
