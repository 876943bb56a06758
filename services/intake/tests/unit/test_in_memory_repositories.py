"""The in-memory repositories keep the repository contract (same class as PostgreSQL's)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from intake.adapters.in_memory import InMemoryIntakeUnitOfWork
from intake.adapters.tables import DocumentRow
from intake.domain.applying import Revocation

from .applications_contract import RepositoryContract


class InMemoryStore:
    def __init__(self) -> None:
        self.uow = InMemoryIntakeUnitOfWork()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[InMemoryIntakeUnitOfWork]:
        yield self.uow

    async def seed_document(self, row: DocumentRow) -> None:
        self.uow.documents.rows.append(row)

    async def seed_revocation(self, uscc: str, bar: Revocation) -> None:
        self.uow.applications.revocations.append((uscc, bar))


class TestInMemoryRepositories(RepositoryContract):
    @pytest.fixture
    def store(self) -> InMemoryStore:
        return InMemoryStore()
