"""Write generated files, or (`--check`) report which committed ones are stale, with a diff."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path


def sync(outputs: dict[Path, str], *, root: Path, tool: str, check: bool) -> int:
    """Returns the exit status: 1 when checking and something is stale, else 0."""
    stale = 0
    for path, text in outputs.items():
        rel = path.relative_to(root)
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current == text:
            continue
        if check:
            stale += 1
            print(f"{tool}: {rel} is stale; run `python deploy/tools/{tool}.py`", file=sys.stderr)
            sys.stderr.writelines(
                difflib.unified_diff(
                    current.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    f"{rel} (committed)",
                    f"{rel} (generated)",
                    n=1,
                )
            )
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"{tool}: wrote {rel}")
    return 1 if stale else 0
