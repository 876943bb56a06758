"""In-memory implementation of review's repository interfaces, for use-case unit tests
(cosmicpython's FakeUnitOfWork): dicts instead of tables, the shared `FakeOutbox` and
`FakeAudit`. It keeps the rules the database enforces that these use cases meet (one case
per application, one warning per case, code and subject, one objection per supervision
case, one registration per number, case and enterprise-year, gap-free serials, a case's
batch and a change's registration must exist, one spot-check item per draw and number, a
closed credit interval stays closed) and moves
statuses through the same `domain.status` moves. The contract tests (tests/unit and
tests/integration) hold it to the PostgreSQL behaviour.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from review.adapters.case_steps import CaseSteps
from review.adapters.cross_checks import Contact
from review.adapters.notices_store import new_notice
from review.adapters.registry_store import ToRegister
from review.adapters.tables import (
    CaseHistoryRow,
    CreditRecordRow,
    ObjectionRow,
    PublicityBatchRow,
    PublicNoticeEntryRow,
    PublicNoticeRow,
    RegistrationChangeRow,
    RegistrationRow,
    ReviewCaseRow,
    SpotCheckItemRow,
    SpotCheckRow,
    WarningRow,
)
from review.adapters.warnings_store import CLEARED, NOTED
from review.domain.errors import ObjectionExists
from review.domain.registration import serial_range
from review.domain.status import (
    CaseStatus,
    ObjectionState,
    RegistrationStatus,
    move_case,
    move_objection,
)
from review.domain.warnings import CreditEntry, RaisedWarning
from shared.platform.db.in_memory import FakeAudit, FakeOutbox

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _created(case: ReviewCaseRow) -> datetime:
    """When the case was created (a seed may leave the column's default unset)."""
    return case.created_at or _EPOCH


def _violates(constraint: str) -> IntegrityError:
    """What PostgreSQL answers to a broken unique constraint (same exception class)."""
    return IntegrityError(f"in-memory {constraint}", None, ValueError(constraint))


@dataclass
class InMemoryCases(CaseSteps):
    rows: dict[uuid.UUID, ReviewCaseRow] = field(default_factory=dict)
    histories: dict[uuid.UUID, list[CaseHistoryRow]] = field(default_factory=dict)
    # Years whose close another replica is running (a test sets it): the lock is not free.
    closing_elsewhere: set[int] = field(default_factory=set)

    def add(self, case: ReviewCaseRow) -> ReviewCaseRow:
        """Seed a case (intake's submission events' handler owns creating them)."""
        if any(c.application_id == case.application_id for c in self.rows.values()):
            raise _violates("review_case_application_id_key")
        case.id = case.id or uuid.uuid4()
        self.rows[case.id] = case
        return case

    async def get(self, case_id: uuid.UUID, *, for_update: bool = False) -> ReviewCaseRow | None:
        return self.rows.get(case_id)

    async def of_application(
        self, application_id: uuid.UUID, *, for_update: bool = False
    ) -> ReviewCaseRow | None:
        return next((c for c in self.rows.values() if c.application_id == application_id), None)

    async def in_batch(self, batch_id: uuid.UUID, uscc: str) -> ReviewCaseRow | None:
        return next(
            (c for c in self.rows.values() if (c.batch_id, c.uscc) == (batch_id, uscc)), None
        )

    async def lock_enterprise(self, uscc: str) -> None:
        return None  # one transaction at a time in memory

    async def try_lock_year_close(self, year: int) -> bool:
        return year not in self.closing_elsewhere

    async def lock_of_year(self, year: int, statuses: Iterable[CaseStatus]) -> list[ReviewCaseRow]:
        wanted = {s.value for s in statuses}
        found = [c for c in self.rows.values() if c.year == year and c.status in wanted]
        return sorted(found, key=lambda c: c.uscc)

    async def of_enterprise(self, uscc: str, statuses: Iterable[CaseStatus]) -> list[ReviewCaseRow]:
        wanted = {s.value for s in statuses}
        found = [c for c in self.rows.values() if c.uscc == uscc and c.status in wanted]
        return sorted(found, key=lambda c: (c.year, _created(c)))

    async def previous_forms(
        self, wanted: Collection[tuple[str, int]]
    ) -> dict[tuple[str, int], dict[str, Any]]:
        found: dict[tuple[str, int], dict[str, Any]] = {}
        for case in sorted(self.rows.values(), key=_created):  # the latest one wins
            if (case.uscc, case.year) in wanted and case.status != CaseStatus.WITHDRAWN:
                found[(case.uscc, case.year)] = case.form
        return found

    def _history(
        self,
        case: ReviewCaseRow,
        action: str,
        at: datetime,
        *,
        actor: str | None,
        reason: str | None,
    ) -> None:
        entries = self.histories.setdefault(case.id, [])
        entries.append(
            CaseHistoryRow(
                id=sum(map(len, self.histories.values())) + 1,
                case_id=case.id,
                at=at,
                action=action,
                status=case.status,
                actor=actor,
                reason=reason,
            )
        )

    async def history(self, case_id: uuid.UUID) -> list[CaseHistoryRow]:
        return sorted(self.histories.get(case_id, []), key=lambda h: (h.at, h.id))


@dataclass
class _Claim:
    case_id: uuid.UUID
    year: int
    uscc: str


@dataclass
class InMemoryClaims:
    numbers: dict[tuple[uuid.UUID, str], _Claim] = field(default_factory=dict)  # (case, IP)
    # (case, kind) → value: one phone and one e-mail per case, as the table's key says
    contacts: dict[tuple[uuid.UUID, str], tuple[str, _Claim]] = field(default_factory=dict)

    async def of_case(self, case_id: uuid.UUID) -> tuple[list[str], list[Contact]]:
        return (
            [n for (c, n) in self.numbers if c == case_id],
            [(k, v) for (c, k), (v, _) in self.contacts.items() if c == case_id],
        )

    async def replace(
        self, case: ReviewCaseRow, numbers: Sequence[str], contacts: Sequence[Contact]
    ) -> None:
        await self.remove(case.id)
        claim = _Claim(case.id, case.year, case.uscc)
        self.numbers.update({(case.id, n): claim for n in numbers})
        self.contacts.update({(case.id, k): (v, claim) for k, v in contacts})

    async def remove(self, case_id: uuid.UUID) -> None:
        for key in [k for k in self.numbers if k[0] == case_id]:
            del self.numbers[key]
        for key in [k for k in self.contacts if k[0] == case_id]:
            del self.contacts[key]

    async def lock(self, year: int, numbers: Iterable[str], contacts: Iterable[Contact]) -> None:
        return None  # one transaction at a time in memory

    async def claimants(
        self, year: int, numbers: Iterable[str]
    ) -> dict[str, list[tuple[uuid.UUID, str]]]:
        found: dict[str, list[tuple[uuid.UUID, str]]] = {n: [] for n in sorted(set(numbers))}
        for (case_id, number), claim in self.numbers.items():
            if claim.year == year and number in found:
                found[number].append((case_id, claim.uscc))
        return found

    def _users(self, year: int, contacts: Iterable[Contact]) -> dict[Contact, list[_Claim]]:
        found: dict[Contact, list[_Claim]] = {c: [] for c in sorted(set(contacts))}
        for (_, kind), (value, claim) in self.contacts.items():
            if claim.year == year and (kind, value) in found:
                found[(kind, value)].append(claim)
        return found

    async def contact_counts(self, year: int, contacts: Iterable[Contact]) -> dict[Contact, int]:
        return {c: len({u.uscc for u in users}) for c, users in self._users(year, contacts).items()}

    async def contact_holders(
        self, year: int, contacts: Iterable[Contact]
    ) -> dict[Contact, list[uuid.UUID]]:
        return {c: [u.case_id for u in users] for c, users in self._users(year, contacts).items()}


@dataclass
class InMemoryWarnings:
    rows: dict[tuple[uuid.UUID, str, str], WarningRow] = field(default_factory=dict)

    async def of_case(self, case_id: uuid.UUID) -> list[WarningRow]:
        return sorted((w for w in self.rows.values() if w.case_id == case_id), key=lambda w: w.id)

    async def lock_open(self, case_id: uuid.UUID) -> list[WarningRow]:
        return [w for w in await self.of_case(case_id) if not w.resolved]

    async def upsert_on_cases(
        self, items: Sequence[tuple[uuid.UUID, RaisedWarning]], now: datetime
    ) -> None:
        for case_id, w in items:
            row = self.rows.get((case_id, w.code, w.subject))
            if row is None:
                self.rows[(case_id, w.code, w.subject)] = WarningRow(
                    id=len(self.rows) + 1,
                    case_id=case_id,
                    code=w.code,
                    subject=w.subject,
                    severity=w.severity,
                    message=w.message,
                    message_en=w.message_en,
                    data=dict(w.data),
                    raised_at=now,
                    resolved=False,
                )
                continue
            row.severity, row.message, row.message_en = w.severity, w.message, w.message_en
            row.data = dict(w.data)
            if row.resolution != NOTED:  # a note written at approval stays
                row.resolved, row.resolution, row.resolved_at = False, None, None

    async def clear_many(
        self, targets: Sequence[tuple[uuid.UUID, str, str]], now: datetime
    ) -> None:
        for key in targets:
            row = self.rows.get(key)
            if row is not None and not row.resolved:
                row.resolved, row.resolution, row.resolved_at = True, CLEARED, now

    async def sync(
        self, case_id: uuid.UUID, raised: Sequence[RaisedWarning], now: datetime
    ) -> None:
        current = {(w.code, w.subject) for w in raised}
        for w in raised:
            row = self.rows.get((case_id, w.code, w.subject))
            if row is None:
                await self.upsert_on_cases([(case_id, w)], now)
                continue
            row.severity, row.message, row.message_en = w.severity, w.message, w.message_en
            row.data = dict(w.data)
            if row.resolved and row.resolution == CLEARED:
                row.resolved, row.resolution, row.resolved_at = False, None, None
                row.raised_at = now
        stale = [(c, code, subject) for (c, code, subject) in self.rows if c == case_id]
        await self.clear_many([k for k in stale if k[1:] not in current], now)


@dataclass
class InMemoryCredit:
    rows: dict[str, CreditRecordRow] = field(default_factory=dict)

    async def record(self, entry: CreditRecordRow) -> None:
        stored = self.rows.get(entry.entry_key)
        if stored is not None and entry.ends_on is None:  # an end once known stays
            entry.ends_on = stored.ends_on
        self.rows[entry.entry_key] = entry

    async def entries_of(self, usccs: Collection[str]) -> dict[str, tuple[CreditEntry, ...]]:
        found: dict[str, list[CreditEntry]] = {}
        for r in sorted(self.rows.values(), key=lambda r: (r.uscc, r.starts_on, r.entry_key)):
            if r.uscc in usccs:
                found.setdefault(r.uscc, []).append(
                    CreditEntry(r.entry_key, r.kind, r.source, r.starts_on, r.ends_on, r.detail)
                )
        return {uscc: tuple(entries) for uscc, entries in found.items()}


@dataclass
class InMemoryObjections:
    rows: dict[str, ObjectionRow] = field(default_factory=dict)

    async def lock(self, supervision_case_id: str) -> ObjectionRow | None:
        return self.rows.get(supervision_case_id)

    async def add(self, objection: ObjectionRow) -> None:
        if objection.supervision_case_id in self.rows:
            raise ObjectionExists()
        self.rows[objection.supervision_case_id] = objection

    def close(self, objection: ObjectionRow, state: ObjectionState, at: datetime) -> None:
        objection.state = move_objection(ObjectionState(objection.state), state).value
        objection.closed_at = at

    async def standing(self, case_id: uuid.UUID) -> int:
        return sum(
            1
            for o in self.rows.values()
            if o.review_case_id == case_id and o.state != ObjectionState.DISMISSED
        )


@dataclass
class InMemoryBatches:
    cases: InMemoryCases
    rows: dict[uuid.UUID, PublicityBatchRow] = field(default_factory=dict)

    def add(self, batch: PublicityBatchRow) -> PublicityBatchRow:
        """Seed a batch (the publicity use cases own creating them)."""
        batch.id = batch.id or uuid.uuid4()
        self.rows[batch.id] = batch
        return batch

    async def lock(self, batch_id: uuid.UUID) -> None:
        return None  # one transaction at a time in memory

    async def get(
        self, batch_id: uuid.UUID, *, for_update: bool = False
    ) -> PublicityBatchRow | None:
        return self.rows.get(batch_id)

    async def insert(self, batch: PublicityBatchRow) -> None:
        if batch.id in self.rows:
            raise _violates("publicity_batch_pkey")
        self.add(batch)

    async def lock_cases(self, case_ids: Sequence[uuid.UUID]) -> list[ReviewCaseRow]:
        wanted = set(case_ids)
        found = [c for c in self.cases.rows.values() if c.id in wanted]
        return sorted(found, key=lambda c: (c.region_code, c.uscc))

    async def move_in(
        self, case_ids: Sequence[uuid.UUID], batch_id: uuid.UUID, *, now: datetime, actor: str
    ) -> None:
        if batch_id not in self.rows:  # the case's foreign key to its batch
            raise _violates("review_case_batch_id_fkey")
        for case_id in case_ids:  # like the UPDATE: no per-row status check (the caller's)
            case = self.cases.rows[case_id]
            case.status, case.batch_id = CaseStatus.IN_PUBLICITY.value, batch_id
            case.updated_at = now
            self.cases._history(case, "publicity_started", now, actor=actor, reason=str(batch_id))

    def _of_batch(self, batch_id: uuid.UUID, status: CaseStatus) -> list[ReviewCaseRow]:
        return [
            c
            for c in self.cases.rows.values()
            if c.batch_id == batch_id and c.status == status.value
        ]

    async def clear_cases(self, batch_id: uuid.UUID) -> list[ToRegister]:
        return [
            ToRegister(
                c.id,
                c.application_id,
                c.uscc,
                c.enterprise_name,
                c.region_code,
                c.industry_code,
                c.agency,
            )
            for c in self._of_batch(batch_id, CaseStatus.IN_PUBLICITY)
        ]

    async def held_cases(self, batch_id: uuid.UUID) -> list[tuple[str, uuid.UUID]]:
        return [(c.uscc, c.application_id) for c in self._of_batch(batch_id, CaseStatus.HELD)]


@dataclass
class InMemoryRegistry:
    cases: InMemoryCases
    counters: dict[tuple[int, str], int] = field(default_factory=dict)  # → last serial
    rows: dict[str, RegistrationRow] = field(default_factory=dict)
    changes: list[RegistrationChangeRow] = field(default_factory=list)

    async def take_serials(self, year: int, province: str, count: int) -> int:
        last = self.counters.get((year, province), 0) + count
        self.counters[(year, province)] = last
        return serial_range(last, count).start

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
        new = [
            RegistrationRow(
                number=number,
                year=year,
                province=province,
                serial=serial,
                uscc=c.uscc,
                case_id=c.case_id,
                application_id=c.application_id,
                enterprise_name=c.enterprise_name,
                region_code=c.region_code,
                industry_code=c.industry_code,
                agency=c.agency,
                batch_id=batch_id,
                registered_on=registered_on,
                valid_until=valid_until,
                status="valid",
                created_at=now,
            )
            for c, (serial, number) in zip(cases, numbered, strict=True)
        ]
        self._check_unique(new)
        moving = [self.cases.rows[c.case_id] for c in cases]
        for case in moving:  # every move is checked before any row changes
            move_case(CaseStatus(case.status), CaseStatus.REGISTERED)
        self.rows.update({r.number: r for r in new})
        for case, registration in zip(moving, new, strict=True):
            case.registration_number = registration.number
            self.cases.move(
                case,
                CaseStatus.REGISTERED,
                now,
                "registered",
                actor=actor,
                reason=registration.number,
            )

    def _check_unique(self, new: Sequence[RegistrationRow]) -> None:
        for constraint, key in (
            ("registration_pkey", lambda r: r.number),
            ("registration_case_id_key", lambda r: r.case_id),
            ("uq_registration_serial", lambda r: (r.year, r.province, r.serial)),
            ("uq_registration_uscc_year", lambda r: (r.uscc, r.year)),
        ):
            keys = [key(r) for r in [*self.rows.values(), *new]]
            if len(keys) != len(set(keys)):
                raise _violates(constraint)

    async def get(self, number: str, *, for_update: bool = False) -> RegistrationRow | None:
        return self.rows.get(number)

    async def add_change(self, change: RegistrationChangeRow) -> None:
        if change.number not in self.rows:  # its foreign key to the registration
            raise _violates("registration_change_number_fkey")
        self.changes.append(change)

    async def changes_of(self, number: str) -> list[RegistrationChangeRow]:
        return sorted((c for c in self.changes if c.number == number), key=lambda c: c.created_at)

    async def lock(self, number: str, *, uscc: str, year: int) -> RegistrationRow | None:
        if number in self.rows:
            return self.rows[number]
        return next((r for r in self.rows.values() if (r.uscc, r.year) == (uscc, year)), None)


@dataclass
class InMemoryNotices:
    cases: InMemoryCases
    registry: InMemoryRegistry
    rows: dict[uuid.UUID, PublicNoticeRow] = field(default_factory=dict)
    entries: list[PublicNoticeEntryRow] = field(default_factory=list)

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
        notice = new_notice(
            kind=kind,
            year=year,
            batch_id=batch_id,
            title=title,
            title_en=title_en,
            published_on=published_on,
            starts_on=starts_on,
            ends_on=ends_on,
            now=now,
        )
        self.rows[notice.id] = notice
        return notice.id

    async def list_batch(self, notice_id: uuid.UUID, batch_id: uuid.UUID) -> None:
        self.entries += [
            PublicNoticeEntryRow(
                notice_id=notice_id,
                uscc=c.uscc,
                enterprise_name=c.enterprise_name,
                region_code=c.region_code,
                agency=c.agency,
            )
            for c in self.cases.rows.values()
            if c.batch_id == batch_id
        ]

    async def list_registrations(self, notice_id: uuid.UUID, numbers: list[str]) -> None:
        self.entries += [
            PublicNoticeEntryRow(
                notice_id=notice_id,
                uscc=r.uscc,
                enterprise_name=r.enterprise_name,
                region_code=r.region_code,
                agency=r.agency,
                registration_number=r.number,
            )
            for number in numbers
            if (r := self.registry.rows.get(number)) is not None
        ]

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
        self.entries.append(
            PublicNoticeEntryRow(
                notice_id=notice_id,
                uscc=uscc,
                enterprise_name=enterprise_name,
                region_code=region_code,
                agency=agency,
                registration_number=number,
                ground=ground,
            )
        )

    async def listed_on(self, notice_id: uuid.UUID) -> list[PublicNoticeEntryRow]:
        listed = [e for e in self.entries if e.notice_id == notice_id]
        return sorted(listed, key=lambda e: e.uscc)


@dataclass
class InMemorySpotChecks:
    registry: InMemoryRegistry
    rows: dict[uuid.UUID, SpotCheckRow] = field(default_factory=dict)
    items: dict[tuple[uuid.UUID, str], SpotCheckItemRow] = field(default_factory=dict)

    async def population(self, year: int) -> list[tuple[str, str, str, str]]:
        return [
            (r.number, r.agency, r.uscc, r.enterprise_name)
            for r in sorted(self.registry.rows.values(), key=lambda r: r.number)
            if r.year == year and r.status == RegistrationStatus.VALID
        ]

    async def add(self, check: SpotCheckRow, items: Sequence[SpotCheckItemRow]) -> None:
        keys = [(i.spot_check_id, i.registration_number) for i in items]
        if check.id in self.rows or len(set(keys)) != len(keys):
            raise _violates("spot_check_item_pkey")
        if any(i.spot_check_id != check.id for i in items):
            raise _violates("spot_check_item_spot_check_id_fkey")
        self.rows[check.id] = check
        self.items.update(zip(keys, items, strict=True))

    async def get(self, spot_check_id: uuid.UUID) -> SpotCheckRow | None:
        return self.rows.get(spot_check_id)

    async def year_of(self, spot_check_id: uuid.UUID) -> int:
        return self.rows[spot_check_id].year

    async def lock_item(self, spot_check_id: uuid.UUID, number: str) -> SpotCheckItemRow | None:
        return self.items.get((spot_check_id, number))


@dataclass
class InMemoryReviewUnitOfWork:
    cases: InMemoryCases = field(default_factory=InMemoryCases)
    claims: InMemoryClaims = field(default_factory=InMemoryClaims)
    warnings: InMemoryWarnings = field(default_factory=InMemoryWarnings)
    objections: InMemoryObjections = field(default_factory=InMemoryObjections)
    outbox: FakeOutbox = field(default_factory=FakeOutbox)
    audit: FakeAudit = field(default_factory=FakeAudit)
    batches: InMemoryBatches = field(init=False)
    registry: InMemoryRegistry = field(init=False)
    notices: InMemoryNotices = field(init=False)
    spot_checks: InMemorySpotChecks = field(init=False)
    credit: InMemoryCredit = field(default_factory=InMemoryCredit)

    def __post_init__(self) -> None:
        self.batches = InMemoryBatches(self.cases)
        self.registry = InMemoryRegistry(self.cases)
        self.notices = InMemoryNotices(self.cases, self.registry)
        self.spot_checks = InMemorySpotChecks(self.registry)
