"""In-memory implementation of tracking's repository interfaces, for use-case unit tests
(cosmicpython's FakeUnitOfWork): dicts instead of tables, with the shared `FakeOutbox` and
`FakeAudit`. States move through the same `domain.obligation_state.move`; the contract tests
(tests/unit and tests/integration) hold it to the PostgreSQL behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from shared.platform.db.in_memory import FakeAudit, FakeOutbox
from tracking.adapters.tables import ObligationRow, QuarterlyReportRow
from tracking.domain.obligation_state import ObligationState, move


@dataclass
class InMemoryObligations:
    rows: dict[int, ObligationRow] = field(default_factory=dict)
    reports: dict[int, QuarterlyReportRow] = field(default_factory=dict)  # by obligation id

    def add(self, obligation: ObligationRow) -> ObligationRow:
        """Seed an obligation (the registration events' handlers own creating them)."""
        if obligation.id is None:
            obligation.id = max(self.rows, default=0) + 1
        self.rows[obligation.id] = obligation
        return obligation

    async def lock(self, uscc: str, year: int, quarter: int) -> ObligationRow | None:
        return next(
            (o for o in self.rows.values() if (o.uscc, o.year, o.quarter) == (uscc, year, quarter)),
            None,
        )

    async def report_of(self, obligation_id: int) -> QuarterlyReportRow | None:
        return self.reports.get(obligation_id)

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
        self.reports[report.obligation_id] = report

    async def mark_overdue(self, today: date, now: datetime) -> list[ObligationRow]:
        target = move(ObligationState.DUE, ObligationState.OVERDUE)  # once, as the statement
        moved = [
            o
            for o in self.rows.values()
            if o.state == ObligationState.DUE.value and o.due_on < today
        ]
        for o in moved:
            o.state, o.overdue_at, o.updated_at = target.value, now, now
        return moved


@dataclass
class InMemoryTrackingUnitOfWork:
    obligations: InMemoryObligations = field(default_factory=InMemoryObligations)
    outbox: FakeOutbox = field(default_factory=FakeOutbox)
    audit: FakeAudit = field(default_factory=FakeAudit)
