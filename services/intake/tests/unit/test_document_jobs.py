"""The document jobs against the in-memory unit of work and object store (milliseconds):
retention by how the application ended (policy years), orphans only after the grace period
and never an object a row still names."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

from intake.adapters.in_memory import InMemoryIntakeUnitOfWork
from intake.adapters.object_store import StoredObject, object_key
from intake.adapters.tables import ApplicationRow, DocumentRow
from intake.domain.status import ApplicationStatus
from intake.service_layer.document_jobs import apply_retention, remove_orphan_objects
from shared.kernel.policy import shipped_policy
from shared.kernel.policy.model import Policy

from .applications_contract import AT, application, document

S = ApplicationStatus
NOW = datetime(2030, 3, 1, tzinfo=UTC)


class Policies:
    """The shipped policy of 2026 only (retention: 3 years unregistered, 5 registered)."""

    def years(self) -> list[int]:
        return [2026]

    async def get(self, year: int) -> Policy:
        return shipped_policy(year)


class Objects:
    def __init__(self) -> None:
        self.modified: dict[str, datetime] = {}

    async def list_objects(self, prefix: str) -> AsyncIterator[StoredObject]:
        for key, at in list(self.modified.items()):
            if key.startswith(prefix):
                yield StoredObject(key, 1, at)

    async def delete(self, key: str) -> None:
        self.modified.pop(key, None)


async def _ended(
    uow: InMemoryIntakeUnitOfWork, status: S, ended_at: datetime, number: str | None = None
) -> tuple[ApplicationRow, DocumentRow]:
    row = application(f"uscc-{uuid.uuid4().hex[:8]}", status=status)
    row.updated_at, row.registration_number = ended_at, number
    await uow.applications.add(row, AT)
    doc = document(row, uuid.uuid4().hex * 2)
    doc.object_key = object_key(row.id, doc.sha256)
    await uow.documents.add(doc)
    return row, doc


async def test_retention_deletes_by_how_and_when_the_application_ended() -> None:
    uow, objects = InMemoryIntakeUnitOfWork(), Objects()
    long_withdrawn = await _ended(uow, S.WITHDRAWN, NOW - timedelta(days=4 * 365))
    lately_rejected = await _ended(uow, S.REJECTED, NOW - timedelta(days=365))
    registered = await _ended(uow, S.REGISTERED, AT, number="R-1")
    revoked_with_number = await _ended(
        uow, S.WITHDRAWN, NOW - timedelta(days=4 * 365), number="R-2"
    )
    for _, doc in (long_withdrawn, lately_rejected, registered, revoked_with_number):
        objects.modified[doc.object_key] = AT

    assert await apply_retention(uow, objects, Policies(), NOW) == 1  # type: ignore[arg-type]
    assert [d.id for d in uow.documents.rows] == [
        d.id for _, d in (lately_rejected, registered, revoked_with_number)
    ]
    assert long_withdrawn[1].object_key not in objects.modified
    (record,) = uow.audit.records
    assert (record.action, record.entity_id) == (
        "document.retention_delete",
        str(long_withdrawn[1].id),
    )

    # Past 2026 + 5 years the documents of every application with a number go as well; the
    # rejection of 2029 waits out its own three years.
    later = datetime(2032, 1, 2, tzinfo=UTC)
    assert await apply_retention(uow, objects, Policies(), later) == 2  # type: ignore[arg-type]
    assert uow.documents.rows == [lately_rejected[1]]
    assert set(objects.modified) == {lately_rejected[1].object_key}


async def test_orphans_go_after_the_grace_period_and_named_objects_stay() -> None:
    uow, objects = InMemoryIntakeUnitOfWork(), Objects()
    _, named = await _ended(uow, S.DRAFT, AT)
    orphan = object_key(uuid.uuid4(), "ab" * 32)
    objects.modified = {named.object_key: AT, orphan: AT, "applications/not-ours": AT}

    assert await remove_orphan_objects(uow, objects, AT + timedelta(minutes=10)) == 0  # type: ignore[arg-type]
    assert await remove_orphan_objects(uow, objects, AT + timedelta(hours=2)) == 1  # type: ignore[arg-type]
    assert set(objects.modified) == {named.object_key, "applications/not-ours"}
