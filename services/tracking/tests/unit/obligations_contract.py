"""The behaviour every implementation of tracking's `Obligations` repository must have
(eventsourcing's abstract test case): subclassed with the in-memory implementation in
tests/unit/test_in_memory_obligations.py and with PostgreSQL in
tests/integration/test_sql_obligations.py. A subclass provides the `store` fixture."""

from __future__ import annotations

import uuid
from contextlib import AbstractAsyncContextManager
from datetime import UTC, date, datetime
from typing import Protocol

import pytest

from tracking.adapters.tables import ObligationRow, QuarterlyReportRow
from tracking.domain.obligation_state import LateReportAlreadyFiled, ObligationState
from tracking.service_layer.unit_of_work import TrackingUnitOfWork

S = ObligationState
AT = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


class Store(Protocol):
    def transaction(self) -> AbstractAsyncContextManager[TrackingUnitOfWork]: ...

    async def seed(self, obligation: ObligationRow) -> ObligationRow:
        """Store an obligation (with its registration); returns it with its id."""


def obligation(state: S = S.DUE, quarter: int = 3) -> ObligationRow:
    uscc = f"9115{uuid.uuid4().hex[:14].upper()}"
    return ObligationRow(
        uscc=uscc,
        year=2026,
        quarter=quarter,
        registration_number=f"2026150105A{uuid.uuid4().int % 10_000_000:07d}",
        policy_year=2026,
        agency="150100",
        region_code="150105",
        industry_code="I6513",
        enterprise_name="测试企业",
        due_on=date(2026, 10, 20),
        due_on_provisional=False,
        state=state.value,
    )


def report(of: ObligationRow, revision: int = 1) -> QuarterlyReportRow:
    return QuarterlyReportRow(
        obligation_id=of.id,
        uscc=of.uscc,
        year=of.year,
        quarter=of.quarter,
        agency=of.agency,
        region_code=of.region_code,
        industry_code=of.industry_code,
        figures={"employees": 48},
        needs=[],
        policy_version=1,
        operating_revenue=None,
        rd_expense=None,
        employees=48,
        late=True,
        revision=revision,
        first_submitted_at=AT,
        submitted_at=AT,
    )


class ObligationsContract:
    async def _report_late(self, store: Store, owed: ObligationRow) -> None:
        async with store.transaction() as uow:
            found = await uow.obligations.lock(owed.uscc, 2026, 3)
            assert found is not None
            await uow.obligations.record_report(found, report(found), S.LATE, AT)

    async def test_lock_finds_the_enterprises_quarter_only(self, store: Store) -> None:
        owed = await store.seed(obligation())
        async with store.transaction() as uow:
            found = await uow.obligations.lock(owed.uscc, 2026, 3)
            assert found is not None
            assert found.id == owed.id
            assert await uow.obligations.lock(owed.uscc, 2026, 4) is None
            assert await uow.obligations.report_of(owed.id) is None

    async def test_a_report_moves_the_obligation_and_is_stored(self, store: Store) -> None:
        owed = await store.seed(obligation(S.OVERDUE))
        await self._report_late(store, owed)
        async with store.transaction() as uow:
            found = await uow.obligations.lock(owed.uscc, 2026, 3)
            assert found is not None
            assert (found.state, found.reported_at) == ("late", AT)
            stored = await uow.obligations.report_of(found.id)
            assert stored is not None
            assert (stored.late, stored.employees, stored.revision) == (True, 48, 1)

    async def test_a_refused_move_stores_nothing(self, store: Store) -> None:
        owed = await store.seed(obligation(S.LATE))
        with pytest.raises(LateReportAlreadyFiled):
            await self._report_late(store, owed)
        async with store.transaction() as uow:
            found = await uow.obligations.lock(owed.uscc, 2026, 3)
            assert found is not None
            assert found.state == "late"
            assert await uow.obligations.report_of(found.id) is None

    async def test_past_due_obligations_are_marked_overdue_once(self, store: Store) -> None:
        past = await store.seed(obligation())
        not_yet = obligation(quarter=4)
        not_yet.due_on = date(2027, 1, 20)
        not_yet = await store.seed(not_yet)
        reported = await store.seed(obligation(S.SUBMITTED))
        mine = {past.id, not_yet.id, reported.id}
        today = date(2026, 11, 26)
        async with store.transaction() as uow:
            marked = [m for m in await uow.obligations.mark_overdue(today, AT) if m.id in mine]
            assert [
                (m.id, m.uscc, m.year, m.quarter, m.due_on, m.agency, m.registration_number)
                for m in marked
            ] == [
                (
                    past.id,
                    past.uscc,
                    2026,
                    3,
                    date(2026, 10, 20),
                    "150100",
                    past.registration_number,
                )
            ]
        async with store.transaction() as uow:
            assert not [m for m in await uow.obligations.mark_overdue(today, AT) if m.id in mine]
            found = await uow.obligations.lock(past.uscc, 2026, 3)
            assert found is not None
            assert (found.state, found.overdue_at) == ("overdue", AT)
            later = await uow.obligations.lock(not_yet.uscc, 2026, 4)
            assert later is not None
            assert later.state == "due"
