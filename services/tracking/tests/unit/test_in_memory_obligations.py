"""The in-memory obligations keep the repository contract (same class as PostgreSQL's)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from tracking.adapters.in_memory import InMemoryTrackingUnitOfWork
from tracking.adapters.tables import ObligationRow

from .obligations_contract import (
    ObligationsContract,
    PolicyVersionsContract,
    RegistrationsContract,
)


class InMemoryStore:
    def __init__(self) -> None:
        self.uow = InMemoryTrackingUnitOfWork()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[InMemoryTrackingUnitOfWork]:
        yield self.uow

    async def seed(self, obligation: ObligationRow) -> ObligationRow:
        return self.uow.obligations.add(obligation)


class TestInMemoryObligations(ObligationsContract, RegistrationsContract, PolicyVersionsContract):
    @pytest.fixture
    def store(self) -> InMemoryStore:
        return InMemoryStore()
