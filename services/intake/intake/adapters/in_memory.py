"""In-memory implementation of intake's repository interfaces, for use-case unit tests
(cosmicpython's FakeUnitOfWork): dicts instead of tables, a `FakeOutbox` collecting events and
a `FakeAudit` collecting audit records. It keeps the rules the database enforces (one live
application per enterprise and year) and moves statuses through the same `domain.status.move`.
The contract tests (tests/unit and tests/integration) hold it to the PostgreSQL behaviour.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from intake.adapters.tables import ApplicationRow, DocumentRow, TimelineRow
from intake.domain.applying import Revocation
from intake.domain.errors import LiveApplicationExists
from intake.domain.status import LIVE, ApplicationStatus, move
from shared.platform.db.in_memory import FakeAudit, FakeOutbox


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


@dataclass
class InMemoryDocuments:
    rows: list[DocumentRow] = field(default_factory=list)

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


@dataclass
class InMemoryIntakeUnitOfWork:
    applications: InMemoryApplications = field(default_factory=InMemoryApplications)
    documents: InMemoryDocuments = field(default_factory=InMemoryDocuments)
    outbox: FakeOutbox = field(default_factory=FakeOutbox)
    audit: FakeAudit = field(default_factory=FakeAudit)
