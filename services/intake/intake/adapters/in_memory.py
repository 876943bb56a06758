"""In-memory implementation of intake's repository interfaces, for use-case unit tests
(cosmicpython's FakeUnitOfWork): dicts instead of tables, a `FakeOutbox` collecting events and
a `FakeAudit` collecting audit records. It keeps the rules the database enforces (one live
application per enterprise and year) and moves statuses through the same `domain.status.move`.
The contract tests (tests/unit and tests/integration) hold it to the PostgreSQL behaviour.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Collection, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime

from intake.adapters.document_repository import RETENTION_BATCH
from intake.adapters.tables import ApplicationRow, DocumentRow, EnterpriseRow, TimelineRow
from intake.domain.applying import Revocation
from intake.domain.errors import LiveApplicationExists
from intake.domain.status import (
    LIVE,
    ApplicationStatus,
    BatchMove,
    EventSubject,
    RegistrationMove,
    check_registration_run,
    move,
)
from shared.platform.db.audit import Actor
from shared.platform.db.in_memory import FakeAudit, FakeOutbox, InMemoryPolicyVersions


@dataclass
class InMemoryEnterprises:
    rows: dict[str, EnterpriseRow] = field(default_factory=dict)

    async def get(self, uscc: str, *, for_update: bool = False) -> EnterpriseRow | None:
        return self.rows.get(uscc)

    async def save(self, enterprise: EnterpriseRow) -> None:
        self.rows[enterprise.uscc] = enterprise


@dataclass
class InMemoryApplications:
    rows: dict[uuid.UUID, ApplicationRow] = field(default_factory=dict)
    timelines: dict[uuid.UUID, list[TimelineRow]] = field(default_factory=dict)
    revocations: list[tuple[str, Revocation]] = field(default_factory=list)  # (uscc, bar)

    async def get(
        self, application_id: uuid.UUID, *, for_update: bool = False
    ) -> ApplicationRow | None:
        return self.rows.get(application_id)

    async def live(
        self,
        uscc: str,
        year: int,
        *,
        statuses: Collection[ApplicationStatus] = LIVE,
        for_update: bool = False,
    ) -> ApplicationRow | None:
        wanted = {s.value for s in statuses}
        return next(
            (
                r
                for r in self.rows.values()
                if (r.uscc, r.year) == (uscc, year) and r.status in wanted
            ),
            None,
        )

    async def for_events(
        self,
        *,
        ids: Collection[uuid.UUID],
        live_of: Collection[tuple[str, int]],
        statuses: Collection[ApplicationStatus],
    ) -> tuple[dict[uuid.UUID, EventSubject], dict[tuple[str, int], EventSubject]]:
        by_id = {i: _subject(self.rows[i]) for i in ids if i in self.rows}
        live = {}
        for uscc, year in live_of:
            row = await self.live(uscc, year, statuses=statuses)
            if row is not None:
                live[(uscc, year)] = _subject(row)
        return by_id, live

    async def drafts_to_close(self, year: int) -> list[ApplicationRow]:
        return [
            r
            for r in self.rows.values()
            if r.year == year and r.status == ApplicationStatus.DRAFT.value
        ]

    async def add(self, application: ApplicationRow, at: datetime) -> None:
        if await self.live(application.uscc, application.year, statuses=LIVE) is not None:
            # the partial unique index `uq_application_live` of the PostgreSQL table
            raise LiveApplicationExists(application.year, None)
        self.rows[application.id] = application
        self.timelines[application.id] = []
        self._timeline(application, at, None)

    def record_status(
        self,
        application: ApplicationRow,
        status: ApplicationStatus,
        at: datetime,
        reason: str | None = None,
        *,
        by_event: bool = False,
    ) -> None:
        move(ApplicationStatus(application.status), status, by_event=by_event)
        application.status = status.value
        application.updated_at = at
        self._timeline(application, at, reason)

    async def move_many(self, batch: BatchMove) -> list[uuid.UUID]:
        batch.check()
        wanted = {s.value for s in batch.sources}
        moved = [
            r
            for r in self.rows.values()
            if r.year == batch.year
            and r.status in wanted
            and (r.id in batch.application_ids or r.uscc in batch.usccs)
        ]
        for row in moved:
            row.status = batch.target.value
            row.updated_at = batch.at
            self._timeline(row, batch.at, batch.reason)
        return [r.id for r in moved]

    async def register_many(self, moves: Sequence[RegistrationMove]) -> list[uuid.UUID]:
        check_registration_run(moves)
        sources = {m.step.source.value for m in moves}
        moved = []
        for m in moves:
            row = self.rows.get(m.application_id)
            if row is None or row.status not in sources:
                continue
            row.status = m.step.target.value
            row.updated_at = m.at
            row.registration_number = m.number
            self._timeline(row, m.at, m.number)
            moved.append(row.id)
        return moved

    def _timeline(self, application: ApplicationRow, at: datetime, reason: str | None) -> None:
        entries = self.timelines.setdefault(application.id, [])
        entries.append(
            TimelineRow(
                id=len(entries) + 1,
                application_id=application.id,
                at=at,
                status=application.status,
                reason=reason,
            )
        )

    async def timeline(self, application_id: uuid.UUID) -> list[TimelineRow]:
        return list(self.timelines.get(application_id, []))

    async def revocations_of(self, uscc: str) -> list[Revocation]:
        return [bar for holder, bar in self.revocations if holder == uscc]

    async def add_revocation(self, uscc: str, revocation: Revocation, ground: str) -> bool:
        if any(bar.number == revocation.number for _, bar in self.revocations):
            return False  # the registration number is the table's primary key
        self.revocations.append((uscc, revocation))
        return True


def _subject(row: ApplicationRow) -> EventSubject:
    return EventSubject(row.id, row.uscc, row.year, ApplicationStatus(row.status))


@dataclass
class InMemoryDocuments:
    rows: list[DocumentRow] = field(default_factory=list)
    # The applications' rows (the unit of work shares its own): retention joins them.
    applications: dict[uuid.UUID, ApplicationRow] = field(default_factory=dict)

    async def of_application(self, application_id: uuid.UUID) -> list[DocumentRow]:
        own = [d for d in self.rows if d.application_id == application_id]
        return sorted(own, key=lambda d: (d.round, d.uploaded_at, d.id))

    async def reused_elsewhere(
        self, year: int, uscc: str, hashes: Sequence[str]
    ) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for d in self.rows:
            others = found.setdefault(d.sha256, []) if d.sha256 in hashes else []
            if d.year == year and d.sha256 in hashes and d.uscc != uscc and d.uscc not in others:
                others.append(d.uscc)
        return {sha: others for sha, others in found.items() if others}

    async def get(self, document_id: uuid.UUID) -> DocumentRow | None:
        return next((d for d in self.rows if d.id == document_id), None)

    async def stored_bytes(self, application_id: uuid.UUID) -> int:
        sizes: dict[str, int] = {}
        for d in self.rows:
            if d.application_id == application_id:
                sizes[d.sha256] = max(sizes.get(d.sha256, 0), d.size)
        return sum(sizes.values())

    async def key_in_use(self, object_key: str) -> bool:
        return any(d.object_key == object_key for d in self.rows)

    async def keys_in_use(self, keys: Sequence[str]) -> set[str]:
        return {d.object_key for d in self.rows if d.object_key in keys}

    async def past_retention(
        self, year: int, *, ended: Collection[str], ended_before: datetime | None = None
    ) -> list[DocumentRow]:
        def expired(app: ApplicationRow) -> bool:
            if ended_before is not None:
                return (
                    app.status in ended
                    and app.registration_number is None
                    and app.updated_at is not None
                    and app.updated_at < ended_before
                )
            return app.status in ended or app.registration_number is not None

        return [
            d
            for d in self.rows
            if (app := self.applications.get(d.application_id)) is not None
            and app.year == year
            and expired(app)
        ][:RETENTION_BATCH]

    async def add(self, document: DocumentRow) -> None:
        self.rows.append(document)

    async def remove(self, document: DocumentRow) -> None:
        self.rows.remove(document)


@dataclass
class InMemoryIntakeUnitOfWork:
    enterprises: InMemoryEnterprises = field(default_factory=InMemoryEnterprises)
    applications: InMemoryApplications = field(default_factory=InMemoryApplications)
    documents: InMemoryDocuments = field(default_factory=InMemoryDocuments)
    policy_versions: InMemoryPolicyVersions = field(default_factory=InMemoryPolicyVersions)
    outbox: FakeOutbox = field(default_factory=FakeOutbox)
    audit: FakeAudit = field(default_factory=FakeAudit)
    committed: list[Callable[[], None]] = field(default_factory=list)  # `after_commit` callbacks

    def __post_init__(self) -> None:
        self.documents.applications = self.applications.rows

    def after_commit(self, callback: Callable[[], None]) -> None:
        self.committed.append(callback)

    @asynccontextmanager
    async def __call__(self, actor: Actor) -> AsyncIterator[InMemoryIntakeUnitOfWork]:
        """Its own factory (`IntakeUnitOfWorkFactory`): each transaction of a use case sees
        the same rows. Nothing is rolled back, so a test of a refusal checks what the use
        case did before it raised, not what a rollback would have undone."""
        yield self
