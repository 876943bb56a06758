"""What review's use cases need from storage, as interfaces (cosmicpython's
repositories). Every use case but the batch handler of submissions takes one.

A use case takes a `ReviewUnitOfWork`: its repositories (`cases` with their steps, the
cross-enterprise `claims`, `warnings`, `objections`, publicity `batches`, the `registry`
with its change reports, the public `notices`, `spot_checks` and the `credit` archive),
the outbox and the audit trail of one transaction. The PostgreSQL
implementation wraps the shared `UnitOfWork` (`review.adapters.unit_of_work`); the
in-memory one (`review.adapters.in_memory`) runs the use cases in unit tests without a
database. One contract test class runs against both (tests/unit, tests/integration).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from review.adapters.cross_checks import Contact
from review.adapters.registry_store import ToRegister
from review.adapters.tables import (
    CaseHistoryRow,
    CreditRecordRow,
    ObjectionRow,
    PublicityBatchRow,
    PublicNoticeEntryRow,
    RegistrationChangeRow,
    RegistrationRow,
    ReviewCaseRow,
    SpotCheckItemRow,
    SpotCheckRow,
    WarningRow,
)
from review.domain.status import CaseStatus, ObjectionState
from review.domain.warnings import CreditEntry, RaisedWarning
from shared.platform.db.ports import AuditRecorder, EventOutbox


class Cases(Protocol):
    """Review cases and their steps. Every status write goes through
    `domain.status.move_case` (409 `IllegalTransition` if refused, nothing changed) and
    adds one history entry (the case's timeline)."""

    async def get(
        self, case_id: uuid.UUID, *, for_update: bool = False
    ) -> ReviewCaseRow | None: ...

    async def of_application(
        self, application_id: uuid.UUID, *, for_update: bool = False
    ) -> ReviewCaseRow | None:
        """The case of an application (at most one)."""

    async def in_batch(self, batch_id: uuid.UUID, uscc: str) -> ReviewCaseRow | None:
        """The enterprise's case in a publicity batch, locked."""

    async def lock_enterprise(self, uscc: str) -> None:
        """Serialise work on one enterprise until the transaction ends."""

    async def try_lock_year_close(self, year: int) -> bool:
        """Take the year close's lock of `year` until the transaction ends; False (without
        waiting) when another transaction holds it."""

    async def lock_of_year(self, year: int, statuses: Iterable[CaseStatus]) -> list[ReviewCaseRow]:
        """The year's cases in one of `statuses`, locked, by USCC."""

    async def of_enterprise(self, uscc: str, statuses: Iterable[CaseStatus]) -> list[ReviewCaseRow]:
        """The enterprise's cases in one of `statuses`, locked, by year then creation."""

    async def previous_forms(
        self, wanted: Collection[tuple[str, int]]
    ) -> dict[tuple[str, int], dict[str, Any]]:
        """(uscc, year) → the form of the enterprise's latest case of that year (not
        withdrawn), for each pair asked that has one."""

    def move(
        self,
        case: ReviewCaseRow,
        status: CaseStatus,
        at: datetime,
        action: str,
        *,
        actor: str | None,
        reason: str | None = None,
    ) -> None:
        """Move the case to `status` with a history entry `action`."""

    def note(
        self,
        case: ReviewCaseRow,
        action: str,
        at: datetime,
        *,
        actor: str | None,
        reason: str | None = None,
    ) -> None:
        """A history entry for a step that leaves the status as it is."""

    def record_onsite(
        self, case: ReviewCaseRow, result: str, notes: str | None, *, by: str, at: datetime
    ) -> None:
        """The on-site check's result: the case moves to what it means for its triggers."""

    def record_decision(
        self,
        case: ReviewCaseRow,
        status: CaseStatus,
        decision: str,
        reason: str | None,
        *,
        by: str,
        at: datetime,
        action: str,
    ) -> None:
        """A decision (the agency's, or an upheld objection's): moved, who decided and why."""

    async def history(self, case_id: uuid.UUID) -> list[CaseHistoryRow]:
        """The case's timeline, oldest first."""


class Claims(Protocol):
    """The IP numbers and contacts each case claims, by year (the cross-enterprise rules)."""

    async def of_case(self, case_id: uuid.UUID) -> tuple[list[str], list[Contact]]: ...

    async def replace(
        self, case: ReviewCaseRow, numbers: Sequence[str], contacts: Sequence[Contact]
    ) -> None: ...

    async def remove(self, case_id: uuid.UUID) -> None: ...

    async def lock(self, year: int, numbers: Iterable[str], contacts: Iterable[Contact]) -> None:
        """Serialise work on these claimed values until the transaction ends."""

    async def claimants(
        self, year: int, numbers: Iterable[str]
    ) -> dict[str, list[tuple[uuid.UUID, str]]]:
        """IP number → every (case, enterprise) claiming it in the year (each number asked)."""

    async def contact_counts(self, year: int, contacts: Iterable[Contact]) -> dict[Contact, int]:
        """Contact → how many distinct enterprises use it in the year (each contact asked)."""

    async def contact_holders(
        self, year: int, contacts: Iterable[Contact]
    ) -> dict[Contact, list[uuid.UUID]]:
        """Contact → the cases using it in the year (each contact asked)."""


class Warnings(Protocol):
    """A case's warnings, one per (case, code, subject)."""

    async def of_case(self, case_id: uuid.UUID) -> list[WarningRow]: ...

    async def lock_open(self, case_id: uuid.UUID) -> list[WarningRow]:
        """The unresolved ones, locked while a decision resolves or keeps them."""

    async def upsert_on_cases(
        self, items: Sequence[tuple[uuid.UUID, RaisedWarning]], now: datetime
    ) -> None:
        """Raise (or refresh) a warning on each case; one noted at approval stays noted."""

    async def clear_many(
        self, targets: Sequence[tuple[uuid.UUID, str, str]], now: datetime
    ) -> None:
        """Resolve as cleared each open (case, code, subject)."""

    async def sync(
        self, case_id: uuid.UUID, raised: Sequence[RaisedWarning], now: datetime
    ) -> None:
        """Make the case's warnings the `raised` set: new ones open, the others open ones
        cleared, cleared ones that fire again reopened; one noted at approval stays noted."""


class Credit(Protocol):
    """Supervision's credit archive (诚信档案) as review keeps it, one row per entry."""

    async def record(self, entry: CreditRecordRow) -> None:
        """Store the entry, or close (or correct) its interval; a closed interval is never
        reopened by an entry without an end."""

    async def entries_of(self, usccs: Collection[str]) -> dict[str, tuple[CreditEntry, ...]]:
        """Each enterprise's entries (by start, then key); enterprises without any left out."""


class Objections(Protocol):
    """Objections as review knows them, one per supervision case."""

    async def lock(self, supervision_case_id: str) -> ObjectionRow | None: ...

    async def add(self, objection: ObjectionRow) -> None:
        """A new objection; `ObjectionExists` if its supervision case is known already."""

    def close(self, objection: ObjectionRow, state: ObjectionState, at: datetime) -> None:
        """Dismissed or upheld, through `domain.status.move_objection`."""

    async def standing(self, case_id: uuid.UUID) -> int:
        """How many objections to the case are open or upheld."""


class Batches(Protocol):
    """Publicity batches and the cases they take in: set-based, one statement for a whole
    batch however many cases it holds."""

    async def lock(self, batch_id: uuid.UUID) -> None:
        """Wait for an announcement of the batch in flight (its row lock)."""

    async def get(
        self, batch_id: uuid.UUID, *, for_update: bool = False
    ) -> PublicityBatchRow | None: ...

    async def insert(self, batch: PublicityBatchRow) -> None:
        """A new batch, stored before any case is moved into it."""

    async def lock_cases(self, case_ids: Sequence[uuid.UUID]) -> list[ReviewCaseRow]:
        """The named cases that exist, locked, ordered by region then USCC."""

    async def move_in(
        self, case_ids: Sequence[uuid.UUID], batch_id: uuid.UUID, *, now: datetime, actor: str
    ) -> None:
        """Every case into the stored batch (`in_publicity`) with its history entry
        (`publicity_started`, the batch as reason). The caller checked each may move."""

    async def clear_cases(self, batch_id: uuid.UUID) -> list[ToRegister]:
        """The batch's cases still in publicity (no objection holds them), locked."""

    async def held_cases(self, batch_id: uuid.UUID) -> list[tuple[str, uuid.UUID]]:
        """USCC and application of the batch's cases an objection holds."""


class Registry(Protocol):
    """The registration numbers: serials gap-free per (year, province), one per case."""

    async def take_serials(self, year: int, province: str, count: int) -> int:
        """Reserve `count` consecutive serials; returns the first."""

    async def insert(
        self,
        *,
        year: int,
        province: str,
        batch_id: uuid.UUID,
        registered_on: date,
        valid_until: date,
        now: datetime,
        actor: str,
        cases: Sequence[ToRegister],
        numbered: Sequence[tuple[int, str]],
    ) -> None:
        """The registrations, and their cases moved to `registered` with a history entry."""

    async def get(self, number: str, *, for_update: bool = False) -> RegistrationRow | None: ...

    async def add_change(self, change: RegistrationChangeRow) -> None:
        """A change reported after registration, for a stored registration."""

    async def changes_of(self, number: str) -> list[RegistrationChangeRow]:
        """The changes reported for the registration, oldest first."""

    async def lock(self, number: str, *, uscc: str, year: int) -> RegistrationRow | None:
        """The registration by its number, locked; if no registration has that number
        (mistyped upstream), the enterprise's registration of the year."""


class Notices(Protocol):
    """Public notices: written when the act happens, never edited."""

    async def add(
        self,
        *,
        kind: str,
        year: int,
        title: str,
        title_en: str,
        published_on: date,
        now: datetime,
        batch_id: uuid.UUID | None = None,
        starts_on: date | None = None,
        ends_on: date | None = None,
    ) -> uuid.UUID: ...

    async def list_batch(self, notice_id: uuid.UUID, batch_id: uuid.UUID) -> None:
        """List every case of the batch on the notice (the publicity list)."""

    async def list_registrations(self, notice_id: uuid.UUID, numbers: list[str]) -> None:
        """List the registrations with these numbers on the notice."""

    def list_revocation(
        self,
        notice_id: uuid.UUID,
        *,
        uscc: str,
        enterprise_name: str,
        region_code: str,
        agency: str,
        number: str,
        ground: str,
    ) -> None:
        """List the revoked registration, with its ground, on the notice."""

    async def listed_on(self, notice_id: uuid.UUID) -> list[PublicNoticeEntryRow]:
        """What the notice lists, by USCC."""


class SpotChecks(Protocol):
    """Year-end spot checks: the draws and their sampled items, one per registration."""

    async def population(self, year: int) -> list[tuple[str, str, str, str]]:
        """Number, agency, USCC and name of every valid registration of the year, by number."""

    async def add(self, check: SpotCheckRow, items: Sequence[SpotCheckItemRow]) -> None:
        """A draw and its sample (one multi-row insert however large)."""

    async def get(self, spot_check_id: uuid.UUID) -> SpotCheckRow | None: ...

    async def year_of(self, spot_check_id: uuid.UUID) -> int:
        """The year of a stored draw."""

    async def lock_item(self, spot_check_id: uuid.UUID, number: str) -> SpotCheckItemRow | None:
        """The sampled registration, locked while its result is recorded."""


class ReviewUnitOfWork(Protocol):
    @property
    def cases(self) -> Cases: ...

    @property
    def claims(self) -> Claims: ...

    @property
    def warnings(self) -> Warnings: ...

    @property
    def objections(self) -> Objections: ...

    @property
    def batches(self) -> Batches: ...

    @property
    def registry(self) -> Registry: ...

    @property
    def notices(self) -> Notices: ...

    @property
    def spot_checks(self) -> SpotChecks: ...

    @property
    def credit(self) -> Credit: ...

    @property
    def outbox(self) -> EventOutbox: ...

    @property
    def audit(self) -> AuditRecorder: ...
