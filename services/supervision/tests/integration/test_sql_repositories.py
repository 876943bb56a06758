"""The PostgreSQL repositories keep the repository contract (same class as the in-memory
ones), on a fresh migrated database of the supervision app (tests/conftest.py `app`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI

from shared.platform.db.audit import Actor
from shared.platform.runtime import ServiceRuntime
from supervision.adapters.tables import PublicityBatchRow, PublicityEntryRow, RegistrationRow
from supervision.adapters.unit_of_work import SqlSupervisionUnitOfWork

from ..unit.repositories_contract import RepositoriesContract

pytestmark = pytest.mark.integration

ACTOR = Actor(sub="contract-test", role="system")


class SqlStore:
    def __init__(self, runtime: ServiceRuntime) -> None:
        self.runtime = runtime

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqlSupervisionUnitOfWork]:
        async with self.runtime.uow(ACTOR) as work:
            yield SqlSupervisionUnitOfWork(work)

    async def register(self, registration: RegistrationRow) -> None:
        async with self.runtime.uow(ACTOR) as work:
            work.session.add(registration)

    async def publish(self, batch: PublicityBatchRow, *entries: PublicityEntryRow) -> None:
        async with self.runtime.uow(ACTOR) as work:
            work.session.add(batch)
            await work.session.flush()
            work.session.add_all(entries)


class TestSqlRepositories(RepositoriesContract):
    @pytest.fixture
    def store(self, app: FastAPI, client: httpx.AsyncClient) -> SqlStore:
        # `client` runs the app: its start-up migrates the fresh database.
        return SqlStore(app.state.runtime)
