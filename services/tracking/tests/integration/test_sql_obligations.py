"""The PostgreSQL obligations keep the repository contract (same class as the in-memory
ones), on a fresh migrated database of the tracking app (tests/conftest.py `tracking`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from shared.platform.db.audit import Actor
from shared.platform.runtime import ServiceRuntime
from tracking.adapters.tables import ObligationRow, RegistrationRow
from tracking.adapters.unit_of_work import SqlTrackingUnitOfWork

from ..conftest import Tracking
from ..unit.obligations_contract import ObligationsContract

pytestmark = pytest.mark.integration

ACTOR = Actor(sub="contract-test", role="system")


class SqlStore:
    def __init__(self, runtime: ServiceRuntime) -> None:
        self.runtime = runtime

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqlTrackingUnitOfWork]:
        async with self.runtime.uow(ACTOR) as work:
            yield SqlTrackingUnitOfWork(work)

    async def seed(self, obligation: ObligationRow) -> ObligationRow:
        async with self.runtime.uow(ACTOR) as work:
            work.session.add(
                RegistrationRow(
                    number=obligation.registration_number,
                    uscc=obligation.uscc,
                    year=obligation.policy_year,
                )
            )
            await work.session.flush()
            work.session.add(obligation)
            await work.session.flush()
        return obligation


class TestSqlObligations(ObligationsContract):
    @pytest.fixture
    def store(self, tracking: Tracking) -> SqlStore:
        return SqlStore(tracking.runtime)
