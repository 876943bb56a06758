"""Schema evolution check: a released event schema may only grow (architecture.md "Events").

Other agencies build against the released `.v1` JSON Schemas, kept as a baseline under
`baseline/` (`make schemas-baseline` records it). The current schema of each released type
is compared with its baseline; a change that breaks a subscriber is reported with the
field it concerns:

- a field removed (a rename is a removal plus an addition);
- a field made required that was optional;
- a type narrowed (e.g. `string | null` → `string`, `number` → `integer`);
- an enum (or const) narrowed, or introduced where any value was allowed;
- a variant of a union removed; an event type removed.

Adding optional fields, new types, new enum values and new variants passes: consumers read
tolerantly. Such a change to a released type needs a new type version (`.v2`) instead.

No maintained Python library answers this question (the ones on PyPI diff two documents
textually or judge OpenAPI requests); the rules above are small and unit-tested.

    python -m shared.kernel.events.evolution check|record
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BASELINE_DIR = Path(__file__).with_name("baseline")
SCHEMA_DIR = Path(__file__).with_name("schemas")
Schema = dict[str, Any]
_ANY = frozenset({"any"})


@dataclass(frozen=True)
class Breaking:
    path: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


class _Doc:
    """One schema document, to resolve its local `$ref`s (`#/$defs/...`)."""

    def __init__(self, root: Schema) -> None:
        self.root = root

    def resolve(self, schema: Schema) -> Schema:
        seen = 0
        while "$ref" in schema and seen < 50:
            ref = schema["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/"):
                return schema  # a remote reference: compared as written
            target: Any = self.root
            for part in ref[2:].split("/"):
                target = target[part]
            # Siblings of $ref (description, default) do not constrain the value further.
            schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
            seen += 1
        return schema

    def branches(self, schema: Schema) -> list[Schema]:
        """The alternatives a value may match (anyOf/oneOf flattened), resolved."""
        schema = self.resolve(schema)
        for keyword in ("anyOf", "oneOf"):
            if keyword in schema:
                return [b for option in schema[keyword] for b in self.branches(option)]
        return [schema]


def _types(branch: Schema) -> frozenset[str]:
    if "type" in branch:
        declared = branch["type"]
        return frozenset([declared] if isinstance(declared, str) else declared)
    values = _enum(branch)
    if values is not None:
        return frozenset(_json_type(v) for v in values)
    if "properties" in branch:
        return frozenset({"object"})
    if "items" in branch:
        return frozenset({"array"})
    return _ANY


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _enum(branch: Schema) -> list[Any] | None:
    if "const" in branch:
        return [branch["const"]]
    if "enum" in branch:
        return list(branch["enum"])
    return None


def _covered(old: frozenset[str], new: frozenset[str]) -> frozenset[str]:
    """The old types the new schema no longer accepts."""
    if "any" in new:
        return frozenset()
    if "any" in old:
        return old
    lost = set(old - new)
    if "integer" in lost and "number" in new:
        lost.discard("integer")
    return frozenset(lost)


class _Comparison:
    def __init__(self, old_root: Schema, new_root: Schema) -> None:
        self.old = _Doc(old_root)
        self.new = _Doc(new_root)

    def compare(self, old: Schema, new: Schema, path: str) -> Iterator[Breaking]:
        old_branches = self.old.branches(old)
        new_branches = self.new.branches(new)
        old_types = frozenset().union(*(_types(b) for b in old_branches))
        new_types = frozenset().union(*(_types(b) for b in new_branches))
        lost = _covered(old_types, new_types)
        if lost:
            yield Breaking(
                path,
                f"type narrowed from {_show(old_types)} to {_show(new_types)} "
                f"(no longer accepts {_show(lost)})",
            )
        yield from self._enums(old_branches, new_branches, path)
        yield from self._objects(old_branches, new_branches, path)
        yield from self._arrays(old_branches, new_branches, path)

    def _enums(self, old: list[Schema], new: list[Schema], path: str) -> Iterator[Breaking]:
        new_values: list[Any] = []
        for branch in new:
            values = _enum(branch)
            if values is None:
                if _types(branch) != frozenset({"null"}):
                    return  # some new branch accepts any value of its type
                values = [None]
            new_values.extend(values)
        old_values: list[Any] = []
        for branch in old:
            values = _enum(branch)
            if values is None:
                if _types(branch) == frozenset({"null"}):
                    old_values.append(None)
                    continue
                yield Breaking(path, f"values restricted to {_show_values(new_values)}")
                return
            old_values.extend(values)
        removed = [v for v in old_values if v not in new_values]
        if removed:
            yield Breaking(path, f"enum narrowed: {_show_values(removed)} no longer allowed")

    def _objects(self, old: list[Schema], new: list[Schema], path: str) -> Iterator[Breaking]:
        old_objects = [b for b in old if "properties" in b]
        new_objects = [b for b in new if "properties" in b]
        if not old_objects or not new_objects:
            return
        if len(old_objects) == 1 and len(new_objects) == 1:
            yield from self._object(old_objects[0], new_objects[0], path)
            return
        # A union of models (e.g. a discriminated union): variants are matched by title.
        by_title = {b.get("title"): b for b in new_objects}
        for variant in old_objects:
            title = variant.get("title")
            if title not in by_title:
                yield Breaking(path, f"variant {title!r} removed")
            else:
                yield from self._object(variant, by_title[title], f"{path}<{title}>")

    def _object(self, old: Schema, new: Schema, path: str) -> Iterator[Breaking]:
        old_required = set(old.get("required", ()))
        new_required = set(new.get("required", ()))
        new_properties = new.get("properties", {})
        for name, old_property in old.get("properties", {}).items():
            where = f"{path}.{name}"
            if name not in new_properties:
                yield Breaking(where, "field removed (or renamed)")
                continue
            if name in new_required and name not in old_required:
                yield Breaking(where, "field made required")
            yield from self.compare(old_property, new_properties[name], where)
        for name in sorted(new_required - old_required - set(old.get("properties", {}))):
            yield Breaking(f"{path}.{name}", "new field is required")

    def _arrays(self, old: list[Schema], new: list[Schema], path: str) -> Iterator[Breaking]:
        old_items = [b["items"] for b in old if isinstance(b.get("items"), dict)]
        new_items = [b["items"] for b in new if isinstance(b.get("items"), dict)]
        if len(old_items) == 1 and len(new_items) == 1:
            yield from self.compare(old_items[0], new_items[0], f"{path}[]")


def _show(types: frozenset[str]) -> str:
    return " | ".join(sorted(types))


def _show_values(values: list[Any]) -> str:
    return ", ".join(json.dumps(v, ensure_ascii=False) for v in values)


def breaking_changes(old: Schema, new: Schema, root: str = "data") -> list[Breaking]:
    """Every change from `old` to `new` that would break a subscriber of `old`."""
    return list(_Comparison(old, new).compare(old, new, root))


def check(baseline_dir: Path = BASELINE_DIR, schema_dir: Path = SCHEMA_DIR) -> list[str]:
    """Problems of the current schemas against the released baseline, one line each."""
    problems: list[str] = []
    for released in sorted(baseline_dir.glob("*.json")):
        name = released.name.removesuffix(".json")
        current = schema_dir / released.name
        if not current.exists():
            problems.append(f"{name}: released event type removed")
            continue
        root = "envelope" if name == "cloudevent" else "data"
        for change in breaking_changes(
            json.loads(released.read_text("utf-8")), json.loads(current.read_text("utf-8")), root
        ):
            problems.append(f"{name}: {change}")
    return problems


def record(baseline_dir: Path = BASELINE_DIR, schema_dir: Path = SCHEMA_DIR) -> int:
    """Record the released baseline: every `.v1` schema and the envelope, as they are now.
    A type already released keeps its baseline (it is what subscribers were promised)."""
    baseline_dir.mkdir(exist_ok=True)
    added = 0
    for schema in sorted(schema_dir.glob("*.json")):
        target = baseline_dir / schema.name
        if target.exists():
            continue
        if schema.name == "cloudevent.json" or schema.name.endswith(".v1.json"):
            shutil.copyfile(schema, target)
            added += 1
    return added


def main(argv: list[str]) -> int:
    mode = argv[1] if len(argv) > 1 else "check"
    if mode == "record":
        print(f"recorded {record()} released schemas in {BASELINE_DIR}")
        return 0
    problems = check()
    if problems:
        print(
            "breaking changes to released event schemas (publish a .v2 type instead):",
            *problems,
            sep="\n  ",
            file=sys.stderr,
        )
        return 1
    print(f"event schemas compatible with the {len(list(BASELINE_DIR.glob('*.json')))} released")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
