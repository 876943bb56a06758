"""PostgreSQL implementation of review's repository interfaces
(`review.service_layer.unit_of_work`): thin wrappers over the existing adapter modules,
bound to the session of one shared `UnitOfWork` (same transaction, outbox and audit trail)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from review.adapters import (
    batches,
    cross_checks,
    locks,
    notices_store,
    objections_store,
    registry_store,
    repository,
    spot_checks_store,
    warnings_store,
)
from review.adapters.case_steps import CaseSteps
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
from review.domain.errors import ObjectionExists
from review.domain.status import CaseStatus, ObjectionState, move_objection
from review.domain.warnings import CreditEntry, RaisedWarning
from shared.platform.db.locks import AdvisoryLock, try_xact_lock
from shared.platform.messaging.unit_of_work import SqlRepositories, UnitOfWork


@dataclass(frozen=True)
class SqlCases(CaseSteps):
    session: AsyncSession

    async def get(self, case_id: uuid.UUID, *, for_update: bool = False) -> ReviewCaseRow | None:
        return await repository.get_case(self.session, case_id, for_update=for_update)

    async def of_application(
        self, application_id: uuid.UUID, *, for_update: bool = False
    ) -> ReviewCaseRow | None:
        return await repository.case_of_application(
            self.session, application_id, for_update=for_update
        )

    async def in_batch(self, batch_id: uuid.UUID, uscc: str) -> ReviewCaseRow | None:
        return await objections_store.lock_case_in_batch(self.session, batch_id, uscc)

    async def lock_enterprise(self, uscc: str) -> None:
        await locks.lock(self.session, [locks.enterprise_key(uscc)])

    async def try_lock_year_close(self, year: int) -> bool:
        return await try_xact_lock(self.session, AdvisoryLock.REVIEW_YEAR_CLOSE, year)

    async def lock_of_year(self, year: int, statuses: Iterable[CaseStatus]) -> list[ReviewCaseRow]:
        return await repository.lock_cases_of_year(self.session, year, [s.value for s in statuses])

    async def of_enterprise(self, uscc: str, statuses: Iterable[CaseStatus]) -> list[ReviewCaseRow]:
        return await repository.cases_of_enterprise(self.session, uscc, [s.value for s in statuses])

    async def previous_forms(
        self, wanted: Collection[tuple[str, int]]
    ) -> dict[tuple[str, int], dict[str, Any]]:
        return await repository.previous_year_forms(self.session, wanted)

    def _history(
        self,
        case: ReviewCaseRow,
        action: str,
        at: datetime,
        *,
        actor: str | None,
        reason: str | None,
    ) -> None:
        repository.record_history(self.session, case, action, at, actor=actor, reason=reason)

    async def history(self, case_id: uuid.UUID) -> list[CaseHistoryRow]:
        return await repository.history_of(self.session, case_id)


@dataclass(frozen=True)
class SqlClaims:
    session: AsyncSession

    async def of_case(self, case_id: uuid.UUID) -> tuple[list[str], list[Contact]]:
        return await cross_checks.claims_of(self.session, case_id)

    async def replace(
        self, case: ReviewCaseRow, numbers: Sequence[str], contacts: Sequence[Contact]
    ) -> None:
        await cross_checks.replace_claims(self.session, case, numbers, contacts)

    async def remove(self, case_id: uuid.UUID) -> None:
        await cross_checks.remove_claims(self.session, case_id)

    async def lock(self, year: int, numbers: Iterable[str], contacts: Iterable[Contact]) -> None:
        await locks.lock(
            self.session,
            [locks.ip_key(year, n) for n in numbers]
            + [locks.contact_key(year, k, v) for k, v in contacts],
        )

    async def claimants(
        self, year: int, numbers: Iterable[str]
    ) -> dict[str, list[tuple[uuid.UUID, str]]]:
        return await cross_checks.claimants(self.session, year, numbers)

    async def contact_counts(self, year: int, contacts: Iterable[Contact]) -> dict[Contact, int]:
        return await cross_checks.contact_counts(self.session, year, contacts)

    async def contact_holders(
        self, year: int, contacts: Iterable[Contact]
    ) -> dict[Contact, list[uuid.UUID]]:
        return await cross_checks.contact_holders(self.session, year, contacts)


@dataclass(frozen=True)
class SqlWarnings:
    session: AsyncSession

    async def of_case(self, case_id: uuid.UUID) -> list[WarningRow]:
        return (await repository.warnings_of(self.session, [case_id]))[case_id]

    async def lock_open(self, case_id: uuid.UUID) -> list[WarningRow]:
        return await warnings_store.lock_open_warnings(self.session, case_id)

    async def upsert_on_cases(
        self, items: Sequence[tuple[uuid.UUID, RaisedWarning]], now: datetime
    ) -> None:
        await warnings_store.upsert_on_cases(self.session, items, now)

    async def clear_many(
        self, targets: Sequence[tuple[uuid.UUID, str, str]], now: datetime
    ) -> None:
        await warnings_store.clear_many(self.session, targets, now)

    async def sync(
        self, case_id: uuid.UUID, raised: Sequence[RaisedWarning], now: datetime
    ) -> None:
        await warnings_store.sync_case_warnings(self.session, case_id, raised, now)


@dataclass(frozen=True)
class SqlCredit:
    session: AsyncSession

    async def record(self, entry: CreditRecordRow) -> None:
        columns = ("entry_key", "uscc", "kind", "detail", "source", "starts_on", "ends_on")
        values: dict[str, Any] = {c: getattr(entry, c) for c in columns}
        await repository.upsert_credit_record(
            self.session, {**values, "recorded_at": entry.recorded_at}
        )

    async def entries_of(self, usccs: Collection[str]) -> dict[str, tuple[CreditEntry, ...]]:
        return await repository.credit_entries_of(self.session, usccs)


@dataclass(frozen=True)
class SqlObjections:
    session: AsyncSession

    async def lock(self, supervision_case_id: str) -> ObjectionRow | None:
        return await objections_store.lock_objection(self.session, supervision_case_id)

    async def add(self, objection: ObjectionRow) -> None:
        self.session.add(objection)
        try:
            await self.session.flush()
        except IntegrityError as exc:  # a concurrent delivery of the filing won the key
            raise ObjectionExists() from exc

    def close(self, objection: ObjectionRow, state: ObjectionState, at: datetime) -> None:
        objection.state = move_objection(ObjectionState(objection.state), state).value
        objection.closed_at = at

    async def standing(self, case_id: uuid.UUID) -> int:
        return await objections_store.standing_objections(
            self.session, case_id, dismissed=ObjectionState.DISMISSED.value
        )


@dataclass(frozen=True)
class SqlBatches:
    session: AsyncSession

    async def lock(self, batch_id: uuid.UUID) -> None:
        await objections_store.lock_batch_row(self.session, batch_id)

    async def get(
        self, batch_id: uuid.UUID, *, for_update: bool = False
    ) -> PublicityBatchRow | None:
        if for_update:
            return await batches.lock_batch(self.session, batch_id)
        return await self.session.get(PublicityBatchRow, batch_id)

    async def insert(self, batch: PublicityBatchRow) -> None:
        self.session.add(batch)
        await self.session.flush()

    async def lock_cases(self, case_ids: Sequence[uuid.UUID]) -> list[ReviewCaseRow]:
        return await batches.lock_cases(self.session, case_ids)

    async def move_in(
        self, case_ids: Sequence[uuid.UUID], batch_id: uuid.UUID, *, now: datetime, actor: str
    ) -> None:
        await batches.move_into_batch(self.session, case_ids, batch_id, now=now, actor=actor)

    async def clear_cases(self, batch_id: uuid.UUID) -> list[ToRegister]:
        return [ToRegister(*row) for row in await batches.clear_cases(self.session, batch_id)]

    async def held_cases(self, batch_id: uuid.UUID) -> list[tuple[str, uuid.UUID]]:
        return [(uscc, app) for uscc, app in await batches.held_cases(self.session, batch_id)]


@dataclass(frozen=True)
class SqlRegistry:
    session: AsyncSession

    async def take_serials(self, year: int, province: str, count: int) -> int:
        return await registry_store.take_serials(self.session, year, province, count)

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
        await registry_store.insert_registrations(
            self.session,
            year=year,
            province=province,
            batch_id=batch_id,
            registered_on=registered_on,
            valid_until=valid_until,
            now=now,
            actor=actor,
            cases=cases,
            numbered=numbered,
        )

    async def get(self, number: str, *, for_update: bool = False) -> RegistrationRow | None:
        return await self.session.get(RegistrationRow, number, with_for_update=for_update)

    async def add_change(self, change: RegistrationChangeRow) -> None:
        self.session.add(change)
        await self.session.flush()

    async def changes_of(self, number: str) -> list[RegistrationChangeRow]:
        return await registry_store.changes_of(self.session, number)

    async def lock(self, number: str, *, uscc: str, year: int) -> RegistrationRow | None:
        return await registry_store.lock_registration(self.session, number, uscc=uscc, year=year)


@dataclass(frozen=True)
class SqlNotices:
    session: AsyncSession

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
    ) -> uuid.UUID:
        notice = notices_store.new_notice(
            kind=kind,
            year=year,
            title=title,
            title_en=title_en,
            published_on=published_on,
            now=now,
            batch_id=batch_id,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        return await notices_store.add_notice(self.session, notice)

    async def list_batch(self, notice_id: uuid.UUID, batch_id: uuid.UUID) -> None:
        await notices_store.list_batch(self.session, notice_id, batch_id)

    async def list_registrations(self, notice_id: uuid.UUID, numbers: list[str]) -> None:
        await notices_store.list_registrations(self.session, notice_id, numbers)

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
        notices_store.list_revocation(
            self.session,
            notice_id,
            uscc=uscc,
            enterprise_name=enterprise_name,
            region_code=region_code,
            agency=agency,
            number=number,
            ground=ground,
        )

    async def listed_on(self, notice_id: uuid.UUID) -> list[PublicNoticeEntryRow]:
        return await notices_store.entries_of(self.session, notice_id)


@dataclass(frozen=True)
class SqlSpotChecks:
    session: AsyncSession

    async def population(self, year: int) -> list[tuple[str, str, str, str]]:
        rows = await spot_checks_store.population(self.session, year)
        return [(number, agency, uscc, name) for number, agency, uscc, name in rows]

    async def add(self, check: SpotCheckRow, items: Sequence[SpotCheckItemRow]) -> None:
        self.session.add(check)
        await self.session.flush()
        await spot_checks_store.add_items(self.session, items)

    async def get(self, spot_check_id: uuid.UUID) -> SpotCheckRow | None:
        return await self.session.get(SpotCheckRow, spot_check_id)

    async def year_of(self, spot_check_id: uuid.UUID) -> int:
        return await spot_checks_store.year_of(self.session, spot_check_id)

    async def lock_item(self, spot_check_id: uuid.UUID, number: str) -> SpotCheckItemRow | None:
        return await spot_checks_store.lock_item(self.session, spot_check_id, number)


class SqlReviewUnitOfWork(SqlRepositories):
    """Review's repositories on one shared `UnitOfWork`."""

    def __init__(self, work: UnitOfWork) -> None:
        super().__init__(work)
        session = work.session
        self.cases = SqlCases(session)
        self.claims = SqlClaims(session)
        self.warnings = SqlWarnings(session)
        self.objections = SqlObjections(session)
        self.batches = SqlBatches(session)
        self.registry = SqlRegistry(session)
        self.notices = SqlNotices(session)
        self.spot_checks = SqlSpotChecks(session)
        self.credit = SqlCredit(session)
