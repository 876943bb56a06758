"""Reads and writes in their rooms (style.md "Where the code stands"): routers
(`entrypoints/`) and use cases (`service_layer/`) build no SQL. Reads live in each
service's `views.py`, writes in its `adapters/`. This test reads the source of every
service and names the file and line of any SQL construct that crept back in.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("entrypoints", "service_layer")
# The statement builders (and the raw-SQL escape hatch) of SQLAlchemy Core; exceptions,
# types and the session class stay importable.
BUILDERS = {"select", "update", "insert", "delete", "text", "func", "and_", "or_", "not_"}


def layer_files() -> list[Path]:
    return sorted(
        path
        for layer in LAYERS
        for path in ROOT.glob(f"services/*/*/{layer}/**/*.py")
        if "tests" not in path.parts
    )


def sql_in(source: str, where: str) -> list[str]:
    tree = ast.parse(source, filename=where)
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            found += [
                f"{where}:{node.lineno}: imports {alias.name} from {node.module}"
                for alias in node.names
                if alias.name in BUILDERS
            ]
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in BUILDERS
            and isinstance(node.value, ast.Name)
            and node.value.id in {"sa", "sqlalchemy"}
        ):
            found.append(f"{where}:{node.lineno}: uses {node.value.id}.{node.attr}")
    return found


def test_the_layer_files_are_found() -> None:
    services = {path.relative_to(ROOT).parts[1] for path in layer_files()}
    assert services == {"intake", "review", "supervision", "tracking"}


def test_routers_and_use_cases_build_no_sql() -> None:
    found = [
        line
        for path in layer_files()
        for line in sql_in(path.read_text("utf-8"), str(path.relative_to(ROOT)))
    ]
    assert not found, "SQL belongs in views.py (reads) or adapters/ (writes):\n" + "\n".join(found)


def test_the_check_sees_sql() -> None:
    """The check itself can fail: builders imported or reached through the module are named."""
    source = (
        "from sqlalchemy import select\n"
        "from sqlalchemy.dialects.postgresql import insert as pg_insert\n"
        "from sqlalchemy.exc import IntegrityError\n"
        "import sqlalchemy as sa\n"
        "sa.update(x)\n"
    )
    assert sql_in(source, "router.py") == [
        "router.py:1: imports select from sqlalchemy",
        "router.py:2: imports insert from sqlalchemy.dialects.postgresql",
        "router.py:5: uses sa.update",
    ]
