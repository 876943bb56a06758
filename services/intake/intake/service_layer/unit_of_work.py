"""What intake's use cases need from storage, as interfaces (cosmicpython's repositories).

A use case takes an `IntakeUnitOfWork`: its repositories (`applications`, `documents`), the
outbox and the audit trail of one transaction. The PostgreSQL implementation wraps the
shared `UnitOfWork` (`intake.adapters.unit_of_work`); the in-memory one
(`intake.adapters.in_memory`) runs the use cases in unit tests without a database. One
contract test class per repository runs against both (tests/unit, tests/integration).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from intake.adapters.tables import ApplicationRow, DocumentRow, TimelineRow
from intake.domain.applying import Revocation
from intake.domain.status import LIVE, ApplicationStatus
from shared.platform.db.ports import AuditRecorder, EventOutbox


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

    async def timeline(self, application_id: uuid.UUID) -> list[TimelineRow]: ...

    async def revocations_of(self, uscc: str) -> list[Revocation]: ...


class Documents(Protocol):
    async def of_application(self, application_id: uuid.UUID) -> list[DocumentRow]:
        """Older rounds first, then by upload time."""

    async def reused_elsewhere(
        self, year: int, uscc: str, hashes: Sequence[str]
    ) -> dict[str, list[str]]:
        """For each SHA-256, the other enterprises that uploaded the same bytes this year."""


class IntakeUnitOfWork(Protocol):
    @property
    def applications(self) -> Applications: ...

    @property
    def documents(self) -> Documents: ...

    @property
    def outbox(self) -> EventOutbox: ...

    @property
    def audit(self) -> AuditRecorder: ...
