"""PostgreSQL implementation of intake's repository interfaces
(`intake.service_layer.unit_of_work`): thin wrappers over the existing query modules, bound to
the session of one shared `UnitOfWork` (same transaction, outbox and audit trail)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from intake.adapters import document_repository, repository
from intake.adapters.tables import ApplicationRow, DocumentRow, TimelineRow
from intake.domain.applying import Revocation
from intake.domain.errors import LiveApplicationExists
from intake.domain.status import LIVE, ApplicationStatus
from shared.platform.db.audit import AuditTrail
from shared.platform.messaging.outbox import Outbox
from shared.platform.messaging.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class SqlApplications:
    session: AsyncSession

    async def get(
        self, application_id: uuid.UUID, *, for_update: bool = False
    ) -> ApplicationRow | None:
        return await repository.get_application(self.session, application_id, for_update=for_update)

    async def live(
        self,
        uscc: str,
        year: int,
        *,
        statuses: Collection[ApplicationStatus] = LIVE,
        for_update: bool = False,
    ) -> ApplicationRow | None:
        return await repository.live_application(
            self.session, uscc, year, statuses=statuses, for_update=for_update
        )

    async def add(self, application: ApplicationRow, at: datetime) -> None:
        repository.record_created(self.session, application, at)
        try:
            await self.session.flush()
        except IntegrityError as exc:  # a concurrent create won the unique index
            raise LiveApplicationExists(application.year, None) from exc

    def record_status(
        self,
        application: ApplicationRow,
        status: ApplicationStatus,
        at: datetime,
        reason: str | None = None,
        *,
        by_event: bool = False,
    ) -> None:
        repository.record_status(self.session, application, status, at, reason, by_event=by_event)

    async def timeline(self, application_id: uuid.UUID) -> list[TimelineRow]:
        return await repository.timeline_of(self.session, application_id)

    async def revocations_of(self, uscc: str) -> list[Revocation]:
        return await repository.revocations_of(self.session, uscc)


@dataclass(frozen=True)
class SqlDocuments:
    session: AsyncSession

    async def of_application(self, application_id: uuid.UUID) -> list[DocumentRow]:
        return await document_repository.documents_of(self.session, application_id)

    async def reused_elsewhere(
        self, year: int, uscc: str, hashes: Sequence[str]
    ) -> dict[str, list[str]]:
        return await document_repository.reused_elsewhere(self.session, year, uscc, hashes)


@dataclass(frozen=True)
class SqlIntakeUnitOfWork:
    """Intake's repositories on one shared `UnitOfWork`; the caller still commits it."""

    work: UnitOfWork
    applications: SqlApplications = field(init=False)
    documents: SqlDocuments = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "applications", SqlApplications(self.work.session))
        object.__setattr__(self, "documents", SqlDocuments(self.work.session))

    @property
    def session(self) -> AsyncSession:
        return self.work.session

    @property
    def outbox(self) -> Outbox:
        return self.work.outbox

    @property
    def audit(self) -> AuditTrail:
        return self.work.audit
