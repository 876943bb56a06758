"""The shipped yearly policy files (`years/<year>.yaml`), loaded and validated once.

A service calls `shipped_policies()` at start-up: a broken file raises `PolicyFileError`
naming the file and the field path, which stops the service with a clear message instead
of failing on the first application that touches the broken threshold.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from pydantic import ValidationError

from shared.kernel.policy.document import policy_from_document
from shared.kernel.policy.model import Policy

SHIPPED_DIR = Path(__file__).with_name("years")

__all__ = [
    "SHIPPED_DIR",
    "PolicyFileError",
    "PolicyYearNotShipped",
    "load_policy_dir",
    "load_policy_file",
    "policy_from_document",  # re-exported: the store and the event handler import it here
    "shipped_policies",
    "shipped_policy",
    "shipped_years",
]


class PolicyFileError(Exception):
    """A policy file cannot be read or does not validate."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"policy file {path} is invalid:\n{lines}")


class PolicyYearNotShipped(KeyError):
    """No policy file is shipped for the requested evaluation year."""


class _DecimalLoader(yaml.SafeLoader):
    """YAML with exact decimals: `0.30` becomes Decimal("0.30"), never a float."""


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal | float:
    text = str(loader.construct_scalar(node))
    try:
        return Decimal(text.replace("_", ""))
    except InvalidOperation:
        return loader.construct_yaml_float(node)  # .inf / .nan: refused by validation


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def _field_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(document)"


def _read(path: Path) -> Any:
    try:
        return yaml.load(path.read_text("utf-8"), Loader=_DecimalLoader)  # noqa: S506 (safe loader subclass)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PolicyFileError(path, [f"cannot read: {exc}"]) from exc


def load_policy_file(path: Path) -> Policy:
    """Read and validate one yearly file; its name must be `<year>.yaml`."""
    raw = _read(path)
    if not isinstance(raw, Mapping):
        raise PolicyFileError(path, ["(document): expected a mapping of policy sections"])
    try:
        policy = policy_from_document(raw)
    except ValidationError as exc:
        problems = [f"{_field_path(e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise PolicyFileError(path, problems) from exc
    if path.stem != str(policy.year):
        raise PolicyFileError(path, [f"year: {policy.year} does not match the file name"])
    return policy


def load_policy_dir(directory: Path) -> Mapping[int, Policy]:
    policies = {}
    for path in sorted(directory.glob("*.yaml")):
        policy = load_policy_file(path)
        policies[policy.year] = policy
    return MappingProxyType(policies)


@cache
def shipped_policies() -> Mapping[int, Policy]:
    """All shipped years, validated once per process."""
    return load_policy_dir(SHIPPED_DIR)


def shipped_years() -> tuple[int, ...]:
    return tuple(sorted(shipped_policies()))


def shipped_policy(year: int) -> Policy:
    try:
        return shipped_policies()[year]
    except KeyError:
        raise PolicyYearNotShipped(year) from None
