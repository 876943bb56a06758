"""PostgreSQL implementation of tracking's repository interfaces
(`tracking.service_layer.unit_of_work`): thin wrappers over `tracking.adapters.obligations`,
bound to the session of one shared `UnitOfWork` (same transaction, outbox and audit trail)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.platform.db.audit import AuditTrail
from shared.platform.messaging.outbox import Outbox
from shared.platform.messaging.unit_of_work import UnitOfWork
from tracking.adapters import obligations as repo
from tracking.adapters.tables import ObligationRow, QuarterlyReportRow
from tracking.domain.obligation_state import ObligationState, move


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


@dataclass(frozen=True)
class SqlTrackingUnitOfWork:
    """Tracking's repositories on one shared `UnitOfWork`; the caller still commits it."""

    work: UnitOfWork
    obligations: SqlObligations = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "obligations", SqlObligations(self.work.session))

    @property
    def outbox(self) -> Outbox:
        return self.work.outbox

    @property
    def audit(self) -> AuditTrail:
        return self.work.audit
