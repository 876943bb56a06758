"""The PostgreSQL obligations keep the repository contract (same class as the in-memory
ones), on a fresh migrated database of the tracking app (tests/conftest.py `tracking`)."""

from __future__ import annotations

import pytest

from localdev.testing import SqlContractStore
from tracking.adapters.tables import ObligationRow, RegistrationRow
from tracking.adapters.unit_of_work import SqlTrackingUnitOfWork

from ..conftest import Tracking
from ..unit.obligations_contract import (
    ObligationsContract,
    PolicyVersionsContract,
    RegistrationsContract,
)

pytestmark = pytest.mark.integration


class SqlStore(SqlContractStore[SqlTrackingUnitOfWork]):
    async def seed(self, obligation: ObligationRow) -> ObligationRow:
        registration = RegistrationRow(
            number=obligation.registration_number,
            uscc=obligation.uscc,
            year=obligation.policy_year,
        )
        await self.add_rows(registration, obligation)  # the obligation references it
        return obligation


class TestSqlObligations(ObligationsContract, RegistrationsContract, PolicyVersionsContract):
    @pytest.fixture
    def store(self, tracking: Tracking) -> SqlStore:
        return SqlStore(tracking.runtime, SqlTrackingUnitOfWork)
