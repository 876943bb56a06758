"""PostgreSQL implementation of supervision's repository interfaces
(`supervision.service_layer.unit_of_work`): thin wrappers over `supervision.adapters.repository`
and `credit_store`, bound to the session of one shared `UnitOfWork` (same transaction, outbox
and audit trail)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.platform.db.locks import AdvisoryLock, xact_lock_text
from shared.platform.messaging.unit_of_work import SqlRepositories, UnitOfWork
from supervision.adapters import credit_store, local_views, repository
from supervision.adapters.tables import (
    CaseRow,
    CaseStepRow,
    CreditEntryRow,
    PublicityBatchRow,
    PublicityEntryRow,
    RegistrationRow,
    RevocationRow,
)
from supervision.domain.cases import CaseStatus, move_case
from supervision.domain.errors import RevocationClash
from supervision.domain.revocation import RevocationStatus, move_revocation

# The columns a new credit entry is inserted with (the timestamps are the database's).
_CREDIT_COLUMNS = (
    "id",
    "uscc",
    "kind",
    "source",
    "reference",
    "detail",
    "reason",
    "starts_on",
    "ends_on",
)


@dataclass(frozen=True)
class SqlCases:
    session: AsyncSession

    async def get(self, case_id: uuid.UUID, *, for_update: bool = False) -> CaseRow | None:
        return await repository.get_case(self.session, case_id, for_update=for_update)

    async def serialise_filings(self, fingerprint: str) -> None:
        await xact_lock_text(self.session, AdvisoryLock.DUPLICATE_FILING, fingerprint)

    async def duplicate_of(self, fingerprint: str, since: datetime) -> CaseRow | None:
        return await repository.duplicate_of(self.session, fingerprint, since)

    async def add(self, case: CaseRow, first_step: CaseStepRow) -> None:
        self.session.add(case)
        self.session.add(first_step)
        await self.session.flush()

    async def move(self, case: CaseRow, target: CaseStatus, step: CaseStepRow) -> None:
        case.status = move_case(CaseStatus(case.status), target).value
        self.session.add(step)

    async def steps(self, case_id: uuid.UUID) -> list[CaseStepRow]:
        return await repository.steps_of(self.session, case_id)


@dataclass(frozen=True)
class SqlRevocations:
    session: AsyncSession

    async def get(
        self, revocation_id: uuid.UUID, *, for_update: bool = False
    ) -> RevocationRow | None:
        return await repository.get_revocation(self.session, revocation_id, for_update=for_update)

    async def of_number(
        self, number: str, *, statuses: Collection[str] | None = None
    ) -> Sequence[RevocationRow]:
        wanted = list(statuses) if statuses is not None else None
        return await repository.revocations_of_number(self.session, number, statuses=wanted)

    async def add(self, revocation: RevocationRow) -> None:
        self.session.add(revocation)
        await self._write()

    async def move(self, revocation: RevocationRow, target: RevocationStatus) -> None:
        revocation.status = move_revocation(RevocationStatus(revocation.status), target).value
        await self._write()

    async def _write(self) -> None:
        try:
            await self.session.flush()
        except IntegrityError as exc:  # a concurrent proposal, procedure or decision won
            raise RevocationClash() from exc


@dataclass(frozen=True)
class SqlLocalRegistry:
    session: AsyncSession

    async def batch_entry(
        self, batch_id: str, uscc: str
    ) -> tuple[PublicityBatchRow | None, PublicityEntryRow | None]:
        return await repository.batch_entry(self.session, batch_id, uscc)

    async def newest_registration(self, uscc: str) -> RegistrationRow | None:
        return await repository.newest_registration(self.session, uscc)

    async def newest_publicity_entry(self, uscc: str) -> PublicityEntryRow | None:
        return await repository.newest_publicity_entry(self.session, uscc)

    async def registration(
        self, number: str, *, for_update: bool = False
    ) -> RegistrationRow | None:
        return await repository.registration(self.session, number, for_update=for_update)

    async def valid_on(self, uscc: str, day: date) -> Sequence[RegistrationRow]:
        return await repository.registrations_valid_on(self.session, uscc, day)

    async def upsert_registrations(
        self, rows: list[dict[str, Any]], *, update: Collection[str]
    ) -> None:
        await local_views.upsert_registrations(self.session, rows, update=update)

    async def upsert_registration(
        self, number: str, values: dict[str, Any], *, update: dict[str, Any]
    ) -> None:
        await local_views.upsert_registration(self.session, number, values, update=update)

    async def upsert_batch(self, batch_id: str, period: dict[str, Any]) -> None:
        await local_views.upsert_batch(self.session, batch_id, period)

    async def upsert_entries(self, rows: list[dict[str, Any]]) -> None:
        await local_views.upsert_entries(self.session, rows)


@dataclass(frozen=True)
class SqlCreditArchive:
    session: AsyncSession

    async def add_once(self, entry: CreditEntryRow) -> bool:
        values = {name: getattr(entry, name) for name in _CREDIT_COLUMNS}
        return await credit_store.insert_once(self.session, values) is not None

    async def by_reference(
        self, uscc: str, source: str, kind: str, reference: str
    ) -> CreditEntryRow | None:
        return await credit_store.lock_by_reference(self.session, uscc, source, kind, reference)

    async def newest_open(
        self, uscc: str, kind: str, source: str, on_or_before: date
    ) -> CreditEntryRow | None:
        return await credit_store.lock_newest_open(self.session, uscc, kind, source, on_or_before)

    async def close(self, entry: CreditEntryRow, ends_on: date) -> None:
        entry.ends_on = ends_on
        await self.session.flush()

    async def punishable(self, uscc: str) -> Sequence[CreditEntryRow]:
        return await repository.punishable_credit_entries(self.session, uscc)

    async def punishable_among(self, usccs: Collection[str]) -> set[str]:
        return await repository.usccs_with_punishable_entries(self.session, usccs)


class SqlSupervisionUnitOfWork(SqlRepositories):
    """Supervision's repositories on one shared `UnitOfWork`."""

    def __init__(self, work: UnitOfWork) -> None:
        super().__init__(work)
        session = work.session
        self.cases = SqlCases(session)
        self.revocations = SqlRevocations(session)
        self.registry = SqlLocalRegistry(session)
        self.credit = SqlCreditArchive(session)
