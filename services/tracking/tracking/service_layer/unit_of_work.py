"""What tracking's use cases need from storage, as interfaces (cosmicpython's repositories).

A use case takes a `TrackingUnitOfWork`: the `obligations` repository, the outbox and the
audit trail of one transaction. The PostgreSQL implementation wraps the shared `UnitOfWork`
(`tracking.adapters.unit_of_work`); the in-memory one (`tracking.adapters.in_memory`) runs
the use cases in unit tests without a database. One contract test class runs against both.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from shared.platform.db.ports import AuditRecorder, EventOutbox
from tracking.adapters.tables import ObligationRow, QuarterlyReportRow
from tracking.domain.obligation_state import ObligationState


class MarkedOverdue(Protocol):
    """What the overdue run learns of each obligation it moved (its event's fields)."""

    @property
    def id(self) -> int: ...

    @property
    def uscc(self) -> str: ...

    @property
    def year(self) -> int: ...

    @property
    def quarter(self) -> int: ...

    @property
    def due_on(self) -> date: ...

    @property
    def agency(self) -> str: ...

    @property
    def registration_number(self) -> str: ...


class Obligations(Protocol):
    async def lock(self, uscc: str, year: int, quarter: int) -> ObligationRow | None:
        """The enterprise's obligation of a quarter, locked until the transaction ends."""

    async def report_of(self, obligation_id: int) -> QuarterlyReportRow | None: ...

    async def record_report(
        self,
        obligation: ObligationRow,
        report: QuarterlyReportRow,
        state: ObligationState,
        at: datetime,
    ) -> None:
        """Store the report (new or replaced) and move the obligation to `state` (through
        `domain.obligation_state.move`, 409 if refused), reported at `at`."""

    async def mark_overdue(self, today: date, now: datetime) -> Sequence[MarkedOverdue]:
        """Every `due` obligation whose due date is before `today` becomes `overdue` at
        `now`, set-based (the transition checked once); the obligations it moved, so a
        second run returns none."""


class TrackingUnitOfWork(Protocol):
    @property
    def obligations(self) -> Obligations: ...

    @property
    def outbox(self) -> EventOutbox: ...

    @property
    def audit(self) -> AuditRecorder: ...
