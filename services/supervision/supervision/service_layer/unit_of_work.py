"""What supervision's use cases need from storage, as interfaces (cosmicpython's repositories).

A use case takes a `SupervisionUnitOfWork`: the `cases` it handles, the `revocations` of
registration numbers, the local copies of review's `registry` and publicity batches it
routes and checks them by, the `credit` archive a substantiated case or a revocation enters,
the outbox and the audit trail of one transaction. The PostgreSQL implementation wraps the
shared `UnitOfWork` (`supervision.adapters.unit_of_work`); the in-memory one
(`supervision.adapters.in_memory`) runs the use cases in unit tests without a database. One
contract test class runs against both (tests/unit, tests/integration). Event handlers are
written against it too; the registry's shared `UnitOfWork` is wrapped for them in
`entrypoints.handlers` (`on_repositories`).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from shared.platform.db.audit import Actor
from shared.platform.db.ports import AuditRecorder, EventOutbox
from supervision.adapters.tables import (
    CaseRow,
    CaseStepRow,
    CreditEntryRow,
    PublicityBatchRow,
    PublicityEntryRow,
    RegistrationRow,
    RevocationRow,
)
from supervision.domain.cases import CaseStatus
from supervision.domain.revocation import RevocationStatus


class Cases(Protocol):
    async def get(self, case_id: uuid.UUID, *, for_update: bool = False) -> CaseRow | None:
        """Any case by id; the use case applies the jurisdiction (`views.CASES`)."""

    async def serialise_filings(self, fingerprint: str) -> None:
        """Wait until no other transaction files the same fingerprint (two identical
        filings at the same instant: the second waits, then finds the first)."""

    async def duplicate_of(self, fingerprint: str, since: datetime) -> CaseRow | None:
        """The earliest case with this fingerprint filed at or after `since`."""

    async def add(self, case: CaseRow, first_step: CaseStepRow) -> None:
        """A new case with its first handling step (received)."""

    async def move(self, case: CaseRow, target: CaseStatus, step: CaseStepRow) -> None:
        """Move the case to `target` through `domain.cases.move_case` (409 if refused,
        nothing changed) and record the handling step."""

    async def steps(self, case_id: uuid.UUID) -> list[CaseStepRow]:
        """The case's handling steps, in the order they were taken."""


class Revocations(Protocol):
    async def get(
        self, revocation_id: uuid.UUID, *, for_update: bool = False
    ) -> RevocationRow | None: ...

    async def of_number(
        self, number: str, *, statuses: Collection[str] | None = None
    ) -> Sequence[RevocationRow]:
        """The number's revocations (in these statuses), locked until the transaction ends."""

    async def add(self, revocation: RevocationRow) -> None:
        """A new proposal; `RevocationConflict` if the number already has an open proposal
        on its ground (`uq_revocation_open_proposal`)."""

    async def move(self, revocation: RevocationRow, target: RevocationStatus) -> None:
        """Move the revocation to `target` through `domain.revocation.move_revocation` (409 if
        refused, nothing changed), written at once: `RevocationConflict` if the number then
        had two procedures under way or two decisions (the partial unique indexes)."""


class LocalRegistry(Protocol):
    """Supervision's copies of review's registry and publicity batches (read here, written
    by the event handlers of `service_layer.views`)."""

    async def batch_entry(
        self, batch_id: str, uscc: str
    ) -> tuple[PublicityBatchRow | None, PublicityEntryRow | None]:
        """The batch, and the enterprise's entry on it (None, None for an unknown batch)."""

    async def newest_registration(self, uscc: str) -> RegistrationRow | None: ...

    async def newest_publicity_entry(self, uscc: str) -> PublicityEntryRow | None: ...

    async def registration(
        self, number: str, *, for_update: bool = False
    ) -> RegistrationRow | None: ...

    async def valid_on(self, uscc: str, day: date) -> Sequence[RegistrationRow]:
        """The enterprise's registrations in force on `day` (not revoked, not expired)."""

    async def upsert_registrations(
        self, rows: list[dict[str, Any]], *, update: Collection[str]
    ) -> None:
        """A chunk of registrations at once (no number twice; each row names the same
        columns, `number` among them): insert each, or set the `update` columns of the known
        one. A registration read locked afterwards shows what this wrote."""

    async def upsert_registration(
        self, number: str, values: dict[str, Any], *, update: dict[str, Any]
    ) -> None:
        """Insert the registration `number` with `values`, or set `update` on the known one."""

    async def upsert_batch(self, batch_id: str, period: dict[str, Any]) -> None:
        """A publicity batch (`year`, `starts_on`, `ends_on`), or its period updated."""

    async def upsert_entries(self, rows: list[dict[str, Any]]) -> None:
        """A batch's entries at once (no USCC twice): inserted, or the known entry's name,
        agency, case and start updated."""


class CreditArchive(Protocol):
    async def add_once(self, entry: CreditEntryRow) -> bool:
        """Store the entry unless one with the same (uscc, source, kind, reference) exists
        (`uq_credit_entry_reference`): whether it was stored."""

    async def by_reference(
        self, uscc: str, source: str, kind: str, reference: str
    ) -> CreditEntryRow | None:
        """The entry with this natural key, locked until the transaction ends."""

    async def newest_open(
        self, uscc: str, kind: str, source: str, on_or_before: date
    ) -> CreditEntryRow | None:
        """The newest entry of a kind still open that started by `on_or_before`, locked."""

    async def close(self, entry: CreditEntryRow, ends_on: date) -> None:
        """End the entry's interval on `ends_on` (entries are never erased)."""

    async def punishable(self, uscc: str) -> Sequence[CreditEntryRow]:
        """The enterprise's entries that start joint punishment (listings, incidents)."""

    async def punishable_among(self, usccs: Collection[str]) -> set[str]:
        """Which of these enterprises have an entry that starts joint punishment."""


class SupervisionUnitOfWork(Protocol):
    @property
    def cases(self) -> Cases: ...

    @property
    def revocations(self) -> Revocations: ...

    @property
    def registry(self) -> LocalRegistry: ...

    @property
    def credit(self) -> CreditArchive: ...

    @property
    def outbox(self) -> EventOutbox: ...

    @property
    def audit(self) -> AuditRecorder: ...

    @property
    def actor(self) -> Actor:
        """Who acts in this transaction (the audit trail's actor; "public" for a filing)."""
