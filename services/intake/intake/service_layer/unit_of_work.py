"""What intake's use cases need from storage, as interfaces (cosmicpython's repositories).

A use case takes an `IntakeUnitOfWork`: its repositories (`enterprises`, `applications`,
`documents`, the shared `policy_versions`), the outbox and the audit trail of one
transaction; one that spans several transactions (an upload stores its object between two)
takes an `IntakeUnitOfWorkFactory`.
The PostgreSQL implementation wraps the shared `UnitOfWork` (`intake.adapters.unit_of_work`);
the in-memory one (`intake.adapters.in_memory`) runs the use cases in unit tests without a
database. One contract test class runs against both (tests/unit, tests/integration).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Protocol

from intake.adapters.tables import ApplicationRow, DocumentRow, EnterpriseRow, TimelineRow
from intake.domain.applying import Revocation
from intake.domain.status import (
    LIVE,
    ApplicationStatus,
    BatchMove,
    EventSubject,
    RegistrationMove,
)
from shared.platform.db.audit import Actor
from shared.platform.db.ports import AuditRecorder, EventOutbox, PolicyVersions


class Enterprises(Protocol):
    async def get(self, uscc: str, *, for_update: bool = False) -> EnterpriseRow | None: ...

    async def save(self, enterprise: EnterpriseRow) -> None:
        """Store a new or changed profile, written at once (a value the table refuses fails
        here, inside the use case)."""


class Applications(Protocol):
    async def get(
        self, application_id: uuid.UUID, *, for_update: bool = False
    ) -> ApplicationRow | None: ...

    async def live(
        self,
        uscc: str,
        year: int,
        *,
        statuses: Collection[ApplicationStatus] = LIVE,
        for_update: bool = False,
    ) -> ApplicationRow | None:
        """The enterprise's live application of the year (at most one)."""

    async def for_events(
        self,
        *,
        ids: Collection[uuid.UUID],
        live_of: Collection[tuple[str, int]],
        statuses: Collection[ApplicationStatus],
    ) -> tuple[dict[uuid.UUID, EventSubject], dict[tuple[str, int], EventSubject]]:
        """For a run of events, locked at once: the applications named by id, and the live
        application (in one of `statuses`) of each (USCC, year) named without an id, each
        with the status it is in now."""

    async def drafts_to_close(self, year: int) -> list[ApplicationRow]:
        """The year's drafts, locked for the year close; none while another transaction is
        closing the year (drafts an enterprise is saving right now are skipped)."""

    async def add(self, application: ApplicationRow, at: datetime) -> None:
        """A new application with the first timeline entry; raises `LiveApplicationExists`
        when the enterprise already has a live application of the year."""

    def record_status(
        self,
        application: ApplicationRow,
        status: ApplicationStatus,
        at: datetime,
        reason: str | None = None,
        *,
        by_event: bool = False,
    ) -> None:
        """Move the application (through `domain.status.move`) and add a timeline entry."""

    async def move_many(self, batch: BatchMove) -> list[uuid.UUID]:
        """The batch's move (checked once, `BatchMove.check`), set-based; the ids moved."""

    async def register_many(self, moves: Sequence[RegistrationMove]) -> list[uuid.UUID]:
        """A run's registrations, each checked by `move()` (its `step`): the status, time,
        number and a timeline entry (reason: the number) of each application still in a
        source of the run's steps; the ids moved. One move per application (the caller
        decides a run's repeats). A set-based write whatever the run's size."""

    async def timeline(self, application_id: uuid.UUID) -> list[TimelineRow]: ...

    async def revocations_of(self, uscc: str) -> list[Revocation]: ...

    async def add_revocation(self, uscc: str, revocation: Revocation, ground: str) -> bool:
        """Remember a revocation that bars the enterprise from applying again; False when
        it was already known (a redelivery)."""


class Documents(Protocol):
    async def of_application(self, application_id: uuid.UUID) -> list[DocumentRow]:
        """Older rounds first, then by upload time."""

    async def reused_elsewhere(
        self, year: int, uscc: str, hashes: Sequence[str]
    ) -> dict[str, list[str]]:
        """For each SHA-256, the other enterprises that uploaded the same bytes this year."""

    async def get(self, document_id: uuid.UUID) -> DocumentRow | None: ...

    async def stored_bytes(self, application_id: uuid.UUID) -> int:
        """What the application's documents take (one object per distinct content)."""

    async def key_in_use(self, object_key: str) -> bool:
        """Whether a document row names this object."""

    async def keys_in_use(self, keys: Sequence[str]) -> set[str]:
        """Those of `keys` a document row names."""

    async def past_retention(
        self, year: int, *, ended: Collection[str], ended_before: datetime | None = None
    ) -> list[DocumentRow]:
        """A batch (`RETENTION_BATCH`) of the year's documents past their retention, locked
        (rows another job holds are skipped). With `ended_before`: applications that ended
        unregistered (`ended`) and have not changed since; without it: registered ones
        (`ended` are the registered statuses, or a number was issued)."""

    async def add(self, document: DocumentRow) -> None: ...

    async def remove(self, document: DocumentRow) -> None: ...


class IntakeUnitOfWork(Protocol):
    @property
    def enterprises(self) -> Enterprises: ...

    @property
    def applications(self) -> Applications: ...

    @property
    def documents(self) -> Documents: ...

    @property
    def policy_versions(self) -> PolicyVersions: ...

    @property
    def outbox(self) -> EventOutbox: ...

    @property
    def audit(self) -> AuditRecorder: ...

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the transaction has committed; never if it rolls back."""


class IntakeUnitOfWorkFactory(Protocol):
    """Opens one transaction as `actor` (committed when the block ends without an error)."""

    def __call__(self, actor: Actor) -> AbstractAsyncContextManager[IntakeUnitOfWork]: ...
