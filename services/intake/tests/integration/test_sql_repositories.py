"""The PostgreSQL repositories keep the repository contract (same class as the in-memory
ones), on a fresh migrated database of the intake app (tests/conftest.py `runtime`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from intake.adapters.tables import DocumentRow, RevocationRow
from intake.adapters.unit_of_work import SqlIntakeUnitOfWork
from intake.domain.applying import Revocation
from shared.platform.db.audit import Actor
from shared.platform.runtime import ServiceRuntime

from ..unit.applications_contract import RepositoryContract

pytestmark = pytest.mark.integration

ACTOR = Actor(sub="contract-test", role="system")


class SqlStore:
    def __init__(self, runtime: ServiceRuntime) -> None:
        self.runtime = runtime

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqlIntakeUnitOfWork]:
        async with self.runtime.uow(ACTOR) as work:
            yield SqlIntakeUnitOfWork(work)

    async def seed_document(self, row: DocumentRow) -> None:
        async with self.runtime.uow(ACTOR) as work:
            work.session.add(row)

    async def seed_revocation(self, uscc: str, bar: Revocation) -> None:
        async with self.runtime.uow(ACTOR) as work:
            work.session.add(
                RevocationRow(
                    number=bar.number,
                    uscc=uscc,
                    year=bar.registration_year,
                    ground="fraud",
                    revoked_on=bar.revoked_on,
                )
            )


class TestSqlRepositories(RepositoryContract):
    @pytest.fixture
    def store(self, runtime: ServiceRuntime) -> SqlStore:
        return SqlStore(runtime)
