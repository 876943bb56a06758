"""The credit archive (诚信档案): record entries, close their intervals, publish each change.

Every new entry is published as `cn.sme.credit.recorded.v1`; closing an interval publishes
the same `entry_id` again with `ends_on` set, so review can warn (or stop warning).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from shared.kernel.events.payloads.supervision import CreditRecorded
from supervision.adapters.tables import CreditEntryRow
from supervision.domain.credit import CreditKind, CreditSource, Interval, entry_interval
from supervision.service_layer.unit_of_work import SupervisionUnitOfWork


@dataclass(frozen=True, slots=True)
class CreditFact:
    uscc: str
    kind: CreditKind
    source: CreditSource
    reference: str
    starts_on: date
    ends_on: date | None = None
    detail: str | None = None
    reason: str | None = None

    @property
    def interval(self) -> Interval:
        # One-day facts cover their day; refuses ends_on < starts_on.
        return entry_interval(self.kind, self.starts_on, self.ends_on)


@dataclass(frozen=True, slots=True)
class Recorded:
    entry: CreditEntryRow
    new: bool  # a new entry (False: known already, possibly closed now)
    changed: bool  # something was written and published


async def record(uow: SupervisionUnitOfWork, fact: CreditFact) -> Recorded:
    """Record `fact` once (by its reference); a repeat closes an open interval if the
    repeat carries an end date, and otherwise changes nothing."""
    interval = fact.interval
    inserted = await uow.credit.add_once(
        CreditEntryRow(
            id=uuid.uuid4(),
            uscc=fact.uscc,
            kind=fact.kind.value,
            source=fact.source.value,
            reference=fact.reference,
            detail=fact.detail,
            reason=fact.reason,
            starts_on=interval.starts_on,
            ends_on=interval.ends_on,
        )
    )
    entry = await _by_reference(uow, fact)
    if not inserted:
        if interval.ends_on is not None and entry.ends_on is None:
            await close(uow, entry, interval.ends_on)
            return Recorded(entry, new=False, changed=True)
        return Recorded(entry, new=False, changed=False)
    await _publish(uow, entry)
    await uow.audit.record(
        "credit.record",
        "credit_entry",
        str(entry.id),
        after={
            "uscc": entry.uscc,
            "kind": entry.kind,
            "source": entry.source,
            "starts_on": entry.starts_on,
            "ends_on": entry.ends_on,
        },
    )
    return Recorded(entry, new=True, changed=True)


async def close(uow: SupervisionUnitOfWork, entry: CreditEntryRow, ends_on: date) -> bool:
    """Close the entry's interval on `ends_on` (removal from a list); never erase it."""
    before = Interval(entry.starts_on, entry.ends_on)
    after = before.closed_on(ends_on)
    if after == before:
        return False
    await uow.credit.close(entry, ends_on)
    await _publish(uow, entry)
    await uow.audit.record(
        "credit.close",
        "credit_entry",
        str(entry.id),
        before={"ends_on": None},
        after={"ends_on": entry.ends_on},
    )
    return True


async def open_entry_of(
    uow: SupervisionUnitOfWork,
    uscc: str,
    kind: CreditKind,
    source: CreditSource,
    on_or_before: date,
) -> CreditEntryRow | None:
    """The newest still-open entry of a kind that started by `on_or_before` (a removal that
    names a start date we never saw)."""
    return await uow.credit.newest_open(uscc, kind.value, source.value, on_or_before)


async def find(uow: SupervisionUnitOfWork, fact: CreditFact) -> CreditEntryRow | None:
    return await uow.credit.by_reference(
        fact.uscc, fact.source.value, fact.kind.value, fact.reference
    )


async def _by_reference(uow: SupervisionUnitOfWork, fact: CreditFact) -> CreditEntryRow:
    entry = await find(uow, fact)
    if entry is None:  # pragma: no cover - just inserted or conflicting, so it exists
        raise LookupError(fact.reference)
    return entry


async def _publish(uow: SupervisionUnitOfWork, entry: CreditEntryRow) -> None:
    await uow.outbox.add(
        CreditRecorded(
            uscc=entry.uscc,
            kind=entry.kind,
            source=entry.source,
            starts_on=entry.starts_on,
            ends_on=entry.ends_on,
            entry_id=str(entry.id),
            detail=entry.detail,
            reason=entry.reason,
        )
    )
