"""PostgreSQL implementation of intake's repository interfaces
(`intake.service_layer.unit_of_work`): thin wrappers over the existing query modules, bound to
the session of one shared `UnitOfWork` (same transaction, outbox and audit trail)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Collection, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from intake.adapters import document_repository, repository
from intake.adapters.tables import ApplicationRow, DocumentRow, EnterpriseRow, TimelineRow
from intake.domain.applying import Revocation
from intake.domain.errors import LiveApplicationExists
from intake.domain.status import (
    LIVE,
    ApplicationStatus,
    BatchMove,
    EventSubject,
    RegistrationMove,
)
from shared.platform.db.audit import Actor
from shared.platform.db.locks import AdvisoryLock, try_xact_lock
from shared.platform.db.policy_versions import SqlPolicyVersions
from shared.platform.messaging.unit_of_work import SqlRepositories, UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class SqlEnterprises:
    session: AsyncSession

    async def get(self, uscc: str, *, for_update: bool = False) -> EnterpriseRow | None:
        return await self.session.get(EnterpriseRow, uscc, with_for_update=for_update)

    async def save(self, enterprise: EnterpriseRow) -> None:
        self.session.add(enterprise)  # a no-op for a row loaded in this session
        await self.session.flush()


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

    async def for_events(
        self,
        *,
        ids: Collection[uuid.UUID],
        live_of: Collection[tuple[str, int]],
        statuses: Collection[ApplicationStatus],
    ) -> tuple[dict[uuid.UUID, EventSubject], dict[tuple[str, int], EventSubject]]:
        return await repository.applications_for_events(
            self.session, ids=ids, live_of=live_of, statuses=statuses
        )

    async def drafts_to_close(self, year: int) -> list[ApplicationRow]:
        # The advisory lock lets one replica close a year at a time; the status filter
        # makes a second run find nothing.
        if not await try_xact_lock(self.session, AdvisoryLock.INTAKE_YEAR_CLOSE, year):
            return []
        return await repository.lock_drafts_of_year(self.session, year)

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

    async def move_many(self, batch: BatchMove) -> list[uuid.UUID]:
        return await repository.move_many(self.session, batch)

    async def register_many(self, moves: Sequence[RegistrationMove]) -> list[uuid.UUID]:
        return await repository.register_many(self.session, moves)

    async def timeline(self, application_id: uuid.UUID) -> list[TimelineRow]:
        return await repository.timeline_of(self.session, application_id)

    async def revocations_of(self, uscc: str) -> list[Revocation]:
        return await repository.revocations_of(self.session, uscc)

    async def add_revocation(self, uscc: str, revocation: Revocation, ground: str) -> bool:
        bar = {
            "number": revocation.number,
            "uscc": uscc,
            "year": revocation.registration_year,
            "ground": ground,
            "revoked_on": revocation.revoked_on,
        }
        return await repository.bar_after_revocation(self.session, bar) is not None


@dataclass(frozen=True)
class SqlDocuments:
    session: AsyncSession

    async def of_application(self, application_id: uuid.UUID) -> list[DocumentRow]:
        return await document_repository.documents_of(self.session, application_id)

    async def reused_elsewhere(
        self, year: int, uscc: str, hashes: Sequence[str]
    ) -> dict[str, list[str]]:
        return await document_repository.reused_elsewhere(self.session, year, uscc, hashes)

    async def get(self, document_id: uuid.UUID) -> DocumentRow | None:
        return await document_repository.get_document(self.session, document_id)

    async def stored_bytes(self, application_id: uuid.UUID) -> int:
        return await document_repository.stored_bytes(self.session, application_id)

    async def key_in_use(self, object_key: str) -> bool:
        return await document_repository.key_in_use(self.session, object_key)

    async def keys_in_use(self, keys: Sequence[str]) -> set[str]:
        return await document_repository.keys_in_use(self.session, keys)

    async def past_retention(
        self, year: int, *, ended: Collection[str], ended_before: datetime | None = None
    ) -> list[DocumentRow]:
        return await document_repository.lock_past_retention(
            self.session, year, ended=ended, ended_before=ended_before
        )

    async def add(self, document: DocumentRow) -> None:
        self.session.add(document)
        await self.session.flush()

    async def remove(self, document: DocumentRow) -> None:
        await self.session.delete(document)


class SqlIntakeUnitOfWork(SqlRepositories):
    """Intake's repositories on one shared `UnitOfWork`."""

    def __init__(self, work: UnitOfWork) -> None:
        super().__init__(work)
        session = work.session
        self.enterprises = SqlEnterprises(session)
        self.applications = SqlApplications(session)
        self.documents = SqlDocuments(session)
        self.policy_versions = SqlPolicyVersions(session)


@dataclass(frozen=True)
class SqlIntakeUnitOfWorkFactory:
    """Transactions of the shared `UnitOfWorkFactory`, each as an `SqlIntakeUnitOfWork`."""

    factory: UnitOfWorkFactory

    @asynccontextmanager
    async def __call__(self, actor: Actor) -> AsyncIterator[SqlIntakeUnitOfWork]:
        async with self.factory(actor) as work:
            yield SqlIntakeUnitOfWork(work)
