"""Periodic jobs on evidence documents: orphan objects and retention.

- Orphans: an object whose row was never written (a crash or an outage between the two
  steps of an upload) or whose row was deleted. Removed once older than a grace period,
  so an upload in flight (object stored, row not yet committed) is never touched: its
  PUT refreshed the object's time.
- Retention (domain.md Round 2): documents of an application that ended unregistered are
  deleted `retention_years_unregistered` after it ended; of a registered (or later revoked)
  one, after `retention_years_registered` years past the registration year. Each deletion
  is audited; the bytes go as orphans right after.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from intake.adapters.object_store import KEY_PREFIX, DocumentStore
from intake.domain.status import ApplicationStatus
from intake.service_layer.unit_of_work import IntakeUnitOfWorkFactory
from shared.platform.db.audit import Actor
from shared.platform.policies.store import PolicyStore

log = logging.getLogger("intake.document_jobs")

SYSTEM = Actor(sub="job:intake.documents", role="system")
ORPHAN_GRACE = timedelta(hours=1)
_OBJECT_KEY = re.compile(r"^applications/[0-9a-f-]{36}/[0-9a-f]{64}$")

UNREGISTERED_ENDINGS = (ApplicationStatus.WITHDRAWN.value, ApplicationStatus.REJECTED.value)
REGISTERED = (ApplicationStatus.REGISTERED.value, ApplicationStatus.REVOKED.value)


async def remove_orphan_objects(
    uow_factory: IntakeUnitOfWorkFactory,
    store: DocumentStore,
    now: datetime,
    grace: timedelta = ORPHAN_GRACE,
    prefix: str = KEY_PREFIX,
) -> int:
    """Delete objects under `prefix` no row names, older than `grace`. Returns how many."""
    candidates = [
        o.key
        async for o in store.list_objects(prefix)
        if _OBJECT_KEY.match(o.key) and o.last_modified < now - grace
    ]
    removed = 0
    for start in range(0, len(candidates), 500):
        batch = candidates[start : start + 500]
        async with uow_factory(SYSTEM) as uow:
            in_use = await uow.documents.keys_in_use(batch)
        for key in batch:
            if key not in in_use:
                await store.delete(key)
                removed += 1
    if removed:
        log.info("orphan document objects removed", extra={"count": removed})
    return removed


async def apply_retention(
    uow_factory: IntakeUnitOfWorkFactory,
    store: DocumentStore,
    policies: PolicyStore,
    now: datetime,
) -> int:
    """Delete the documents past their retention (rows audited, then the objects)."""
    deleted_keys: set[str] = set()
    count = 0
    for year in policies.years():
        evidence = (await policies.get(year)).evidence
        ended_before = now - timedelta(days=365 * evidence.retention_years_unregistered)
        registered_expired = now.year > year + evidence.retention_years_registered
        # (ended statuses, ended before): unregistered endings wait out their period;
        # registered ones go together once the registered retention has passed.
        batches: list[tuple[tuple[str, ...], datetime | None]] = [
            (UNREGISTERED_ENDINGS, ended_before)
        ]
        if registered_expired:
            batches.append((REGISTERED, None))
        for ended, before in batches:
            async with uow_factory(SYSTEM) as uow:
                rows = await uow.documents.past_retention(year, ended=ended, ended_before=before)
                for row in rows:
                    await uow.documents.remove(row)
                    await uow.audit.record(
                        "document.retention_delete",
                        "application_document",
                        str(row.id),
                        before={
                            "application_id": str(row.application_id),
                            "uscc": row.uscc,
                            "year": row.year,
                            "kind": row.kind,
                            "sha256": row.sha256,
                        },
                    )
                    deleted_keys.add(row.object_key)
                count += len(rows)
    if deleted_keys:
        async with uow_factory(SYSTEM) as uow:
            still_used = await uow.documents.keys_in_use(sorted(deleted_keys))
        for key in deleted_keys - still_used:
            await store.delete(key)
        log.info("documents past retention deleted", extra={"count": count})
    return count
