"""The behaviour every implementation of tracking's `Obligations` repository must have
(eventsourcing's abstract test case), with `RegistrationsContract` and
`PolicyVersionsContract` beside it: subclassed with the in-memory implementation in
tests/unit/test_in_memory_obligations.py and with PostgreSQL in
tests/integration/test_sql_obligations.py. A subclass provides the `store` fixture."""

from __future__ import annotations

import uuid
from contextlib import AbstractAsyncContextManager
from datetime import UTC, date, datetime
from typing import Any, Protocol

import pytest

from shared.kernel.calendar.quarters import Quarter
from shared.kernel.policy.loader import policy_from_document, shipped_policy
from shared.kernel.policy.model import Policy
from tracking.adapters.obligations import OBLIGATION_COLUMNS
from tracking.adapters.tables import ObligationRow, QuarterlyReportRow
from tracking.domain.obligation_state import LateReportAlreadyFiled, ObligationState
from tracking.domain.reporting_quarters import quarter_index
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


def registration(uscc: str, number: str) -> dict[str, Any]:
    """The values a `registration.issued` event records (`REGISTRATION_COLUMNS`)."""
    return {
        "number": number,
        "uscc": uscc,
        "year": 2026,
        "region_code": "150105",
        "agency": "150100",
        "enterprise_name": "测试企业",
        "industry_code": "I6513",
        "registered_on": date(2026, 1, 10),
        "valid_until": date(2028, 12, 31),
    }


def owed(of: ObligationRow) -> dict[str, Any]:
    """`of` as the registration handler hands it to `add_many` (`OBLIGATION_COLUMNS`)."""
    return {c: getattr(of, c) for c in OBLIGATION_COLUMNS}


def policy(year: int, version: int) -> Policy:
    return policy_from_document({**shipped_policy(year).to_document(), "version": version})


class RegistrationsContract:
    async def test_a_registration_is_issued_once_and_remembers_an_early_revocation(
        self, store: Store
    ) -> None:
        first, early = obligation(), obligation()
        async with store.transaction() as uow:
            await uow.registrations.revoke(
                number=early.registration_number,
                uscc=early.uscc,
                year=2026,
                revoked_on=date(2026, 8, 1),
                ground="fraud",
            )
        rows = [
            registration(first.uscc, first.registration_number),
            registration(early.uscc, early.registration_number),
        ]
        async with store.transaction() as uow:
            assert await uow.registrations.issue(rows) == {
                first.registration_number: None,
                early.registration_number: date(2026, 8, 1),
            }
        async with store.transaction() as uow:  # redelivered: updated, revocation kept
            assert await uow.registrations.issue(rows[1:]) == {
                early.registration_number: date(2026, 8, 1)
            }

    async def test_obligations_are_made_once_per_quarter_and_cancelled_after(
        self, store: Store
    ) -> None:
        q3, q4 = obligation(quarter=3), obligation(quarter=4)
        q4.uscc, q4.registration_number = q3.uscc, q3.registration_number
        async with store.transaction() as uow:
            await uow.registrations.issue([registration(q3.uscc, q3.registration_number)])
            made = await uow.obligations.add_many([owed(q3), owed(q4)])
            assert sorted((m.registration_number, m.year, m.quarter, m.due_on) for m in made) == [
                (q3.registration_number, 2026, 3, date(2026, 10, 20)),
                (q3.registration_number, 2026, 4, date(2026, 10, 20)),
            ]
        async with store.transaction() as uow:  # redelivered: the quarters are owed already
            assert list(await uow.obligations.add_many([owed(q3), owed(q4)])) == []
        async with store.transaction() as uow:
            cancelled = await uow.obligations.cancel_after(
                q3.uscc, q3.registration_number, quarter_index(Quarter(2026, 3))
            )
            assert [(c.year, c.quarter, c.state) for c in cancelled] == [(2026, 4, "due")]
        async with store.transaction() as uow:
            assert await uow.obligations.lock(q3.uscc, 2026, 3) is not None
            assert await uow.obligations.lock(q3.uscc, 2026, 4) is None

    async def test_open_quarters_are_rescheduled_once(self, store: Store) -> None:
        # A policy year of its own: rescheduling reaches every open obligation of it.
        due, done = obligation(), obligation(S.SUBMITTED)
        for o in (due, done):
            o.policy_year = 2099
            await store.seed(o)
        new_dates = {(2099, 2026, 3): (date(2026, 10, 23), True)}
        async with store.transaction() as uow:
            assert (2099, 2026, 3) in await uow.obligations.open_quarters()
            assert await uow.obligations.reschedule_open(new_dates, AT) == 1
        async with store.transaction() as uow:
            assert await uow.obligations.reschedule_open(new_dates, AT) == 0
            moved = await uow.obligations.lock(due.uscc, 2026, 3)
            kept = await uow.obligations.lock(done.uscc, 2026, 3)
            assert moved is not None
            assert kept is not None
            assert (moved.due_on, moved.due_on_provisional) == (date(2026, 10, 23), True)
            assert kept.due_on == date(2026, 10, 20)


class PolicyVersionsContract:
    """The shared `PolicyVersions` repository (`shared.platform.db`), as tracking keeps it."""

    async def test_versions_are_kept_once_and_the_newest_is_read(self, store: Store) -> None:
        async with store.transaction() as uow:
            assert await uow.policy_versions.newest_version(2024) is None
            assert await uow.policy_versions.next_version(2024) == 2  # the shipped file is v1
            assert await uow.policy_versions.next_version(2091) == 1  # no policy at all
            await uow.policy_versions.keep(policy(2024, 2), created_by="event:2")
            await uow.policy_versions.keep(policy(2024, 3), created_by="event:3")
            await uow.policy_versions.keep(policy(2024, 2), created_by="again")  # redelivered
        async with store.transaction() as uow:
            assert await uow.policy_versions.newest_version(2024) == 3
            (newest,) = [
                d for d in await uow.policy_versions.newest_documents() if d["year"] == 2024
            ]
            assert newest["version"] == 3
            assert await uow.policy_versions.next_version(2024) == 4
            kept = await uow.policy_versions.stored_document(2024, 2)
            assert kept is not None
            assert (kept["year"], kept["version"]) == (2024, 2)
            assert await uow.policy_versions.stored_document(2024, 1) is None
