"""In-memory implementation of supervision's repository interfaces, for use-case unit tests
(cosmicpython's FakeUnitOfWork): dicts instead of tables, with the shared `FakeOutbox` and
`FakeAudit`. It keeps the rules the database enforces that the use cases rely on (one credit
entry per natural key; per number at most one open proposal on a ground, one procedure
under way and one decision; the steps' order) and moves statuses through the same
`domain.cases.move_case` and `domain.revocation.move_revocation`. The contract tests
(tests/unit and tests/integration) hold it to the PostgreSQL behaviour.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from shared.platform.db.audit import Actor
from shared.platform.db.in_memory import FakeAudit, FakeOutbox
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
from supervision.domain.credit import JOINT_PUNISHMENT_GROUNDS
from supervision.domain.errors import RevocationClash
from supervision.domain.revocation import IN_PROCEDURE, RevocationStatus, move_revocation

_PROPOSED, _REVOKED = RevocationStatus.PROPOSED.value, RevocationStatus.REVOKED.value
_IN_PROCEDURE = {s.value for s in IN_PROCEDURE}


@dataclass
class InMemoryCases:
    rows: dict[uuid.UUID, CaseRow] = field(default_factory=dict)
    step_rows: list[CaseStepRow] = field(default_factory=list)

    async def get(self, case_id: uuid.UUID, *, for_update: bool = False) -> CaseRow | None:
        return self.rows.get(case_id)

    async def serialise_filings(self, fingerprint: str) -> None:
        """One transaction at a time here: nothing to wait for."""

    async def duplicate_of(self, fingerprint: str, since: datetime) -> CaseRow | None:
        found = [r for r in self.rows.values() if r.fingerprint == fingerprint]
        return min(
            (r for r in found if r.filed_at >= since), key=lambda r: r.filed_at, default=None
        )

    async def add(self, case: CaseRow, first_step: CaseStepRow) -> None:
        if case.id in self.rows:  # the primary key
            raise ValueError(f"case {case.id} exists")
        self.rows[case.id] = case
        self._step(first_step)

    async def move(self, case: CaseRow, target: CaseStatus, step: CaseStepRow) -> None:
        case.status = move_case(CaseStatus(case.status), target).value
        self._step(step)

    async def steps(self, case_id: uuid.UUID) -> list[CaseStepRow]:
        return [s for s in self.step_rows if s.case_id == case_id]

    def _step(self, step: CaseStepRow) -> None:
        step.id = len(self.step_rows) + 1  # the BIGSERIAL: steps in the order taken
        self.step_rows.append(step)


@dataclass
class InMemoryRevocations:
    rows: dict[uuid.UUID, RevocationRow] = field(default_factory=dict)

    async def get(
        self, revocation_id: uuid.UUID, *, for_update: bool = False
    ) -> RevocationRow | None:
        return self.rows.get(revocation_id)

    async def of_number(
        self, number: str, *, statuses: Collection[str] | None = None
    ) -> Sequence[RevocationRow]:
        return [
            r
            for r in self.rows.values()
            if r.number == number and (statuses is None or r.status in statuses)
        ]

    async def add(self, revocation: RevocationRow) -> None:
        if revocation.id is None:  # the columns' defaults
            revocation.id = uuid.uuid4()
        if revocation.skip_statement is None:
            revocation.skip_statement = False
        self._check_unique(revocation)
        self.rows[revocation.id] = revocation

    async def move(self, revocation: RevocationRow, target: RevocationStatus) -> None:
        before = revocation.status
        revocation.status = move_revocation(RevocationStatus(before), target).value
        try:
            self._check_unique(revocation)
        except RevocationClash:
            revocation.status = before
            raise

    def _check_unique(self, row: RevocationRow) -> None:
        """The partial unique indexes of the PostgreSQL table."""
        for other in self.rows.values():
            if other is row or other.number != row.number:
                continue
            if (
                (row.status == other.status == _REVOKED)  # uq_revocation_revoked_number
                or (row.status == other.status == _PROPOSED and row.ground == other.ground)
                or (row.status in _IN_PROCEDURE and other.status in _IN_PROCEDURE)
            ):
                raise RevocationClash()


@dataclass
class InMemoryLocalRegistry:
    registrations: dict[str, RegistrationRow] = field(default_factory=dict)  # by number
    batches: dict[str, PublicityBatchRow] = field(default_factory=dict)
    entries: dict[tuple[str, str], PublicityEntryRow] = field(default_factory=dict)

    def register(self, registration: RegistrationRow) -> RegistrationRow:
        """Seed a registration (review's events write them in production)."""
        self.registrations[registration.number] = registration
        return registration

    def publish(self, batch: PublicityBatchRow, *entries: PublicityEntryRow) -> None:
        """Seed a publicity batch with its entries."""
        self.batches[batch.id] = batch
        for entry in entries:
            self.entries[(entry.batch_id, entry.uscc)] = entry

    async def batch_entry(
        self, batch_id: str, uscc: str
    ) -> tuple[PublicityBatchRow | None, PublicityEntryRow | None]:
        batch = self.batches.get(batch_id)
        if batch is None:
            return None, None
        return batch, self.entries.get((batch_id, uscc))

    async def newest_registration(self, uscc: str) -> RegistrationRow | None:
        own = [r for r in self.registrations.values() if r.uscc == uscc]
        return max(own, key=lambda r: r.year, default=None)

    async def newest_publicity_entry(self, uscc: str) -> PublicityEntryRow | None:
        own = [e for e in self.entries.values() if e.uscc == uscc]
        return max(own, key=lambda e: e.starts_on, default=None)

    async def registration(
        self, number: str, *, for_update: bool = False
    ) -> RegistrationRow | None:
        return self.registrations.get(number)

    async def valid_on(self, uscc: str, day: date) -> Sequence[RegistrationRow]:
        return [
            r
            for r in self.registrations.values()
            if r.uscc == uscc
            and r.status == "valid"
            and (r.valid_until is None or r.valid_until >= day)
        ]

    async def upsert_registrations(
        self, rows: list[dict[str, Any]], *, update: Collection[str]
    ) -> None:
        for values in rows:
            known = self.registrations.get(values["number"])
            if known is None:
                self.registrations[values["number"]] = RegistrationRow(**values)
            else:
                for column in update:
                    setattr(known, column, values[column])

    async def upsert_registration(
        self, number: str, values: dict[str, Any], *, update: dict[str, Any]
    ) -> None:
        known = self.registrations.get(number)
        if known is None:
            self.registrations[number] = RegistrationRow(number=number, **values)
        else:
            for column, value in update.items():
                setattr(known, column, value)

    async def upsert_batch(self, batch_id: str, period: dict[str, Any]) -> None:
        known = self.batches.get(batch_id)
        if known is None:
            self.batches[batch_id] = PublicityBatchRow(id=batch_id, **period)
        else:
            for column, value in period.items():
                setattr(known, column, value)

    async def upsert_entries(self, rows: list[dict[str, Any]]) -> None:
        for values in rows:
            key = (values["batch_id"], values["uscc"])
            known = self.entries.get(key)
            if known is None:
                self.entries[key] = PublicityEntryRow(**values)
            else:
                for column in ("name", "agency", "case_id", "starts_on"):
                    setattr(known, column, values[column])


@dataclass
class InMemoryCreditArchive:
    rows: list[CreditEntryRow] = field(default_factory=list)

    async def add_once(self, entry: CreditEntryRow) -> bool:
        known = await self.by_reference(entry.uscc, entry.source, entry.kind, entry.reference)
        if known is not None:  # the unique index `uq_credit_entry_reference`
            return False
        self.rows.append(entry)
        return True

    async def by_reference(
        self, uscc: str, source: str, kind: str, reference: str
    ) -> CreditEntryRow | None:
        key = (uscc, source, kind, reference)
        return next((e for e in self.rows if (e.uscc, e.source, e.kind, e.reference) == key), None)

    async def newest_open(
        self, uscc: str, kind: str, source: str, on_or_before: date
    ) -> CreditEntryRow | None:
        open_ = [
            e
            for e in self.rows
            if (e.uscc, e.kind, e.source) == (uscc, kind, source)
            and e.ends_on is None
            and e.starts_on <= on_or_before
        ]
        return max(open_, key=lambda e: e.starts_on, default=None)

    async def close(self, entry: CreditEntryRow, ends_on: date) -> None:
        entry.ends_on = ends_on

    async def punishable(self, uscc: str) -> Sequence[CreditEntryRow]:
        grounds = {k.value for k in JOINT_PUNISHMENT_GROUNDS}
        return [e for e in self.rows if e.uscc == uscc and e.kind in grounds]

    async def punishable_among(self, usccs: Collection[str]) -> set[str]:
        grounds = {k.value for k in JOINT_PUNISHMENT_GROUNDS}
        return {e.uscc for e in self.rows if e.uscc in usccs and e.kind in grounds}


@dataclass
class InMemorySupervisionUnitOfWork:
    cases: InMemoryCases = field(default_factory=InMemoryCases)
    revocations: InMemoryRevocations = field(default_factory=InMemoryRevocations)
    registry: InMemoryLocalRegistry = field(default_factory=InMemoryLocalRegistry)
    credit: InMemoryCreditArchive = field(default_factory=InMemoryCreditArchive)
    outbox: FakeOutbox = field(default_factory=FakeOutbox)
    audit: FakeAudit = field(default_factory=FakeAudit)
    actor: Actor = field(default_factory=lambda: Actor(sub="public", role="public"))
