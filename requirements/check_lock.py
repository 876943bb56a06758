"""The lock files match the pins and carry nothing but names, versions and hashes.

    python requirements/check_lock.py      (`make lock-check`, part of `make test`; offline)

For each requirements/<name>.txt (pins, `-r` followed) and its requirements/<name>.lock
(written by `make lock`): every pin is in the lock at the same version, every locked
package has at least one sha256, and the lock names no index, find-links or host (a lock
must work against whatever package index the machine is configured for). A pin added to a
.txt without `make lock` fails here, before any install.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOCKED = ("bootstrap", "runtime", "dev")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;#\\]+)")
FORBIDDEN = re.compile(r"--(extra-)?index-url|--find-links|--trusted-host|://")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("-r "):
            out.update(pins(path.parent / line[3:].strip()))
        elif match := PIN.match(line):
            out[canonical(match.group(1))] = match.group(3)
        elif line:
            raise SystemExit(f"{path.name}: only `name==version` pins and `-r` here: {raw!r}")
    return out


def locked(path: Path) -> tuple[dict[str, str], list[str]]:
    versions: dict[str, str] = {}
    problems: list[str] = []
    text = path.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        if FORBIDDEN.search(line):
            problems.append(f"{path.name}:{number}: names an index or host: {line.strip()!r}")
    # A requirement starts at column 0; its hashes follow on continuation lines.
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        if match := PIN.match(block):
            name = canonical(match.group(1))
            versions[name] = match.group(3)
            if "--hash=sha256:" not in block:
                problems.append(f"{path.name}: {name} has no hash")
    return versions, problems


def main() -> int:
    problems: list[str] = []
    for name in LOCKED:
        lock = HERE / f"{name}.lock"
        if not lock.exists():
            problems.append(f"{lock.name} missing: run `make lock`")
            continue
        versions, found = locked(lock)
        problems += found
        for pkg, version in pins(HERE / f"{name}.txt").items():
            if versions.get(pkg) != version:
                problems.append(
                    f"{lock.name}: {pkg} is {versions.get(pkg, 'absent')}, {name}.txt pins "
                    f"{version}: run `make lock`"
                )
    for problem in problems:
        print(f"check_lock: {problem}", file=sys.stderr)
    print(f"check_lock: {'FAILED' if problems else 'ok'}: {', '.join(LOCKED)} locks")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
