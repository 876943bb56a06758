"""What tracking's use cases need from storage, as interfaces (cosmicpython's repositories).

A use case takes a `TrackingUnitOfWork`: the `obligations`, `registrations` and
`policy_versions` repositories, the outbox and the audit trail of one transaction. The
PostgreSQL implementation wraps the shared `UnitOfWork` (`tracking.adapters.unit_of_work`);
the in-memory one (`tracking.adapters.in_memory`) runs the use cases in unit tests without
a database. One contract test class runs against both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from shared.platform.db.ports import AuditRecorder, EventOutbox, PolicyVersions
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


class CreatedObligation(Protocol):
    """What a registration's audit record says of each obligation it made."""

    @property
    def registration_number(self) -> str: ...

    @property
    def year(self) -> int: ...

    @property
    def quarter(self) -> int: ...

    @property
    def due_on(self) -> date: ...


class CancelledObligation(Protocol):
    """What a revocation's audit record keeps of each obligation it removed."""

    @property
    def year(self) -> int: ...

    @property
    def quarter(self) -> int: ...

    @property
    def state(self) -> str: ...


# (policy year, year, quarter) → (due date, provisional): the due dates of open quarters.
DueDates = dict[tuple[int, int, int], tuple[date, bool]]


class Registrations(Protocol):
    async def issue(self, rows: Sequence[dict[str, Any]]) -> dict[str, date | None]:
        """Record a chunk of issued registrations at once (no number twice; the keys of
        `adapters.obligations.REGISTRATION_COLUMNS`; a number already known is updated);
        each number's revocation date, set when its revocation arrived first."""

    async def revoke(
        self, *, number: str, uscc: str, year: int, revoked_on: date, ground: str
    ) -> None:
        """Keep the revocation on the registration, made bare if it has not arrived yet."""


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

    async def add_many(self, rows: Sequence[dict[str, Any]]) -> Sequence[CreatedObligation]:
        """A chunk's obligations at once (the keys of `adapters.obligations.
        OBLIGATION_COLUMNS`); a quarter the enterprise already owes is left alone
        (redelivery, another registration). The obligations made."""

    async def cancel_after(
        self, uscc: str, registration_number: str, last_kept_index: int
    ) -> Sequence[CancelledObligation]:
        """Remove the registration's obligations of the quarters after `last_kept_index`
        (`domain.reporting_quarters.quarter_index`), whatever their state; those removed."""

    async def open_quarters(self) -> list[tuple[int, int, int]]:
        """The distinct (policy year, year, quarter) still `due`."""

    async def reschedule_open(self, due_dates: DueDates, now: datetime) -> int:
        """Give every still-`due` obligation of a (policy year, year, quarter) its due date;
        how many changed (one already on that date is not touched)."""


class TrackingUnitOfWork(Protocol):
    @property
    def obligations(self) -> Obligations: ...

    @property
    def registrations(self) -> Registrations: ...

    @property
    def policy_versions(self) -> PolicyVersions: ...

    @property
    def outbox(self) -> EventOutbox: ...

    @property
    def audit(self) -> AuditRecorder: ...

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the transaction has committed; never if it rolls back."""
