"""In-memory implementation of tracking's repository interfaces, for use-case unit tests
(cosmicpython's FakeUnitOfWork): dicts instead of tables, with the shared `FakeOutbox` and
`FakeAudit`. States move through the same `domain.obligation_state.move`; the contract tests
(tests/unit and tests/integration) hold it to the PostgreSQL behaviour."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from shared.kernel.calendar.quarters import Quarter
from shared.platform.db.in_memory import FakeAudit, FakeOutbox, InMemoryPolicyVersions
from tracking.adapters.obligations import REGISTRATION_COLUMNS
from tracking.adapters.tables import ObligationRow, QuarterlyReportRow, RegistrationRow
from tracking.domain.obligation_state import ObligationState, move
from tracking.domain.reporting_quarters import quarter_index


@dataclass
class InMemoryRegistrations:
    rows: dict[str, RegistrationRow] = field(default_factory=dict)  # by number

    async def issue(self, rows: Sequence[dict[str, Any]]) -> dict[str, date | None]:
        revoked: dict[str, date | None] = {}
        for values in rows:
            known = self.rows.get(values["number"])
            if known is None:
                known = self.rows[values["number"]] = RegistrationRow(number=values["number"])
            for column in REGISTRATION_COLUMNS:  # the upsert keeps the revocation
                setattr(known, column, values[column])
            revoked[known.number] = known.revoked_on
        return revoked

    async def revoke(
        self, *, number: str, uscc: str, year: int, revoked_on: date, ground: str
    ) -> None:
        known = self.rows.get(number)
        if known is None:
            known = self.rows[number] = RegistrationRow(number=number, uscc=uscc, year=year)
        known.revoked_on, known.revocation_ground = revoked_on, ground


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

    async def add_many(self, rows: Sequence[dict[str, Any]]) -> list[ObligationRow]:
        owed = {(o.uscc, o.year, o.quarter) for o in self.rows.values()}
        made = []
        for values in rows:
            key = (values["uscc"], values["year"], values["quarter"])
            if key in owed:  # uq_obligation_quarter: ON CONFLICT DO NOTHING
                continue
            owed.add(key)
            made.append(self.add(ObligationRow(**values)))
        return made

    async def cancel_after(
        self, uscc: str, registration_number: str, last_kept_index: int
    ) -> list[ObligationRow]:
        cancelled = [
            o
            for o in self.rows.values()
            if (o.uscc, o.registration_number) == (uscc, registration_number)
            and quarter_index_of(o) > last_kept_index
        ]
        for o in cancelled:
            del self.rows[o.id]
            self.reports.pop(o.id, None)  # ON DELETE CASCADE
        return cancelled

    async def open_quarters(self) -> list[tuple[int, int, int]]:
        due = ObligationState.DUE.value
        return sorted(
            {(o.policy_year, o.year, o.quarter) for o in self.rows.values() if o.state == due}
        )

    async def reschedule_open(
        self, due_dates: dict[tuple[int, int, int], tuple[date, bool]], now: datetime
    ) -> int:
        changed = 0
        for o in self.rows.values():
            new = due_dates.get((o.policy_year, o.year, o.quarter))
            if o.state != ObligationState.DUE.value or new is None:
                continue
            if (o.due_on, o.due_on_provisional) != new:
                o.due_on, o.due_on_provisional = new
                o.updated_at = now
                changed += 1
        return changed


def quarter_index_of(o: ObligationRow) -> int:
    return quarter_index(Quarter(o.year, o.quarter))


@dataclass
class InMemoryTrackingUnitOfWork:
    obligations: InMemoryObligations = field(default_factory=InMemoryObligations)
    registrations: InMemoryRegistrations = field(default_factory=InMemoryRegistrations)
    policy_versions: InMemoryPolicyVersions = field(default_factory=InMemoryPolicyVersions)
    outbox: FakeOutbox = field(default_factory=FakeOutbox)
    audit: FakeAudit = field(default_factory=FakeAudit)
    committed: list[Callable[[], None]] = field(default_factory=list)  # `after_commit` callbacks

    def after_commit(self, callback: Callable[[], None]) -> None:
        self.committed.append(callback)
