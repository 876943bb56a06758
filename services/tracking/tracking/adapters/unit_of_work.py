"""PostgreSQL implementation of tracking's repository interfaces
(`tracking.service_layer.unit_of_work`): thin wrappers over `tracking.adapters.obligations`
(and the shared `SqlPolicyVersions`), bound to the session of one shared `UnitOfWork`
(same transaction, outbox and audit trail)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.platform.db.policy_versions import SqlPolicyVersions
from shared.platform.messaging.unit_of_work import SqlRepositories, UnitOfWork
from tracking.adapters import obligations as repo
from tracking.adapters.tables import ObligationRow, QuarterlyReportRow
from tracking.domain.obligation_state import ObligationState, move


@dataclass(frozen=True)
class SqlRegistrations:
    session: AsyncSession

    async def issue(self, rows: Sequence[dict[str, Any]]) -> dict[str, date | None]:
        return await repo.upsert_registrations(self.session, rows)

    async def revoke(
        self, *, number: str, uscc: str, year: int, revoked_on: date, ground: str
    ) -> None:
        await repo.record_revocation(
            self.session, number=number, uscc=uscc, year=year, revoked_on=revoked_on, ground=ground
        )


@dataclass(frozen=True)
class SqlObligations:
    session: AsyncSession

    async def lock(self, uscc: str, year: int, quarter: int) -> ObligationRow | None:
        return await repo.lock_obligation(self.session, uscc, year, quarter)

    async def report_of(self, obligation_id: int) -> QuarterlyReportRow | None:
        return await repo.report_of(self.session, obligation_id)

    async def record_report(
        self,
        obligation: ObligationRow,
        report: QuarterlyReportRow,
        state: ObligationState,
        at: datetime,
    ) -> None:
        obligation.state = move(ObligationState(obligation.state), state).value
        obligation.reported_at = at
        obligation.updated_at = at
        self.session.add(report)  # a no-op for the replaced report already in the session
        await self.session.flush()

    async def mark_overdue(self, today: date, now: datetime) -> Sequence[Any]:
        # The UPDATE's RETURNING rows as they are: a run can move a province's quarter.
        return await repo.mark_overdue(self.session, today, now)

    async def add_many(self, rows: Sequence[dict[str, Any]]) -> Sequence[Any]:
        return await repo.insert_obligations(self.session, rows)

    async def cancel_after(
        self, uscc: str, registration_number: str, last_kept_index: int
    ) -> Sequence[Any]:
        return await repo.delete_obligations_after(
            self.session, uscc, registration_number, last_kept_index
        )

    async def open_quarters(self) -> list[tuple[int, int, int]]:
        return await repo.open_quarters(self.session)

    async def reschedule_open(
        self, due_dates: dict[tuple[int, int, int], tuple[date, bool]], now: datetime
    ) -> int:
        return await repo.reschedule_open(self.session, due_dates, now)


class SqlTrackingUnitOfWork(SqlRepositories):
    """Tracking's repositories on one shared `UnitOfWork`."""

    def __init__(self, work: UnitOfWork) -> None:
        super().__init__(work)
        session = work.session
        self.obligations = SqlObligations(session)
        self.registrations = SqlRegistrations(session)
        self.policy_versions = SqlPolicyVersions(session)
