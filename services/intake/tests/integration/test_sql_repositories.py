"""The PostgreSQL repositories keep the repository contract (same class as the in-memory
ones), on a fresh migrated database of the intake app (tests/conftest.py `runtime`)."""

from __future__ import annotations

import pytest

from intake.adapters.tables import DocumentRow, RevocationRow
from intake.adapters.unit_of_work import SqlIntakeUnitOfWork
from intake.domain.applying import Revocation
from localdev.testing import SqlContractStore
from shared.platform.runtime import ServiceRuntime

from ..unit.applications_contract import RepositoryContract

pytestmark = pytest.mark.integration


class SqlStore(SqlContractStore[SqlIntakeUnitOfWork]):
    async def seed_document(self, row: DocumentRow) -> None:
        await self.add_rows(row)

    async def seed_revocation(self, uscc: str, bar: Revocation) -> None:
        await self.add_rows(
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
        return SqlStore(runtime, SqlIntakeUnitOfWork)
