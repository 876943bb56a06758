"""The in-memory repositories keep the repository contract (same class as PostgreSQL's)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from supervision.adapters.in_memory import InMemorySupervisionUnitOfWork
from supervision.adapters.tables import PublicityBatchRow, PublicityEntryRow, RegistrationRow

from .repositories_contract import RepositoriesContract


class InMemoryStore:
    def __init__(self) -> None:
        self.uow = InMemorySupervisionUnitOfWork()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[InMemorySupervisionUnitOfWork]:
        yield self.uow

    async def register(self, registration: RegistrationRow) -> None:
        self.uow.registry.register(registration)

    async def publish(self, batch: PublicityBatchRow, *entries: PublicityEntryRow) -> None:
        self.uow.registry.publish(batch, *entries)


class TestInMemoryRepositories(RepositoriesContract):
    @pytest.fixture
    def store(self) -> InMemoryStore:
        return InMemoryStore()
