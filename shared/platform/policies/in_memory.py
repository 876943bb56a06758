"""The policy store of use-case unit tests: the shipped yearly policies and their
working-day calendar, never loaded from a database."""

from __future__ import annotations

from typing import cast

from shared.platform.db.engine import Database
from shared.platform.policies.store import PolicyStore


class ShippedPolicies(PolicyStore):
    """Only `load()` reads the database; it is never called, so the shipped files serve
    (`PolicyStore.cached`)."""

    def __init__(self) -> None:
        super().__init__(cast(Database, None))
