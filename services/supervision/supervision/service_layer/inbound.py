"""Other agencies' events (market supervision, tax, incident authorities) → credit archive.

Handlers are deterministic: "today" is the event's own time in China, not the wall clock,
so a redelivery or a replay from the dead-letter table decides the same way. Handlers take
supervision's repositories (`SupervisionUnitOfWork`); `entrypoints.handlers` wraps the
registry's shared unit of work for them.
"""

from __future__ import annotations

from shared.kernel.calendar.clock import today_in_china
from shared.kernel.events.envelope import CloudEvent
from shared.kernel.events.payloads.external import (
    IncidentRecorded,
    MarketListingAdded,
    MarketListingRemoved,
    TaxViolationRecorded,
)
from shared.platform.policies.store import PolicyStore
from supervision.domain.credit import CreditKind, CreditSource, listing_reference
from supervision.service_layer import credit, joint_punishment
from supervision.service_layer.credit import CreditFact
from supervision.service_layer.unit_of_work import SupervisionUnitOfWork


async def _record_and_punish(
    uow: SupervisionUnitOfWork, fact: CreditFact, envelope: CloudEvent, policies: PolicyStore
) -> None:
    recorded = await credit.record(uow, fact)
    if recorded.new:
        today = today_in_china(envelope.time)
        await joint_punishment.after_credit_entry(uow, recorded.entry, today, policies)


async def on_listing_added(
    uow: SupervisionUnitOfWork,
    event: MarketListingAdded,
    envelope: CloudEvent,
    policies: PolicyStore,
) -> None:
    """列入经营异常名录 / 严重违法失信名单."""
    fact = CreditFact(
        uscc=event.uscc,
        kind=CreditKind(event.list),
        source=CreditSource.MARKET_SUPERVISION,
        reference=listing_reference(event.list, event.starts_on),
        starts_on=event.starts_on,
        ends_on=event.ends_on,
        reason=event.reason,
    )
    await _record_and_punish(uow, fact, envelope, policies)


async def on_listing_removed(
    uow: SupervisionUnitOfWork,
    event: MarketListingRemoved,
    envelope: CloudEvent,
    policies: PolicyStore,
) -> None:
    """移出名录: close the listing's interval (never erase it). The removal day is the
    event's `ends_on`, or the day the removal was published. A removal dated before its
    listing is refused (InvalidCreditInterval → dead letter for an operator)."""
    kind = CreditKind(event.list)
    removed_on = event.ends_on or today_in_china(envelope.time)
    fact = CreditFact(
        uscc=event.uscc,
        kind=kind,
        source=CreditSource.MARKET_SUPERVISION,
        reference=listing_reference(event.list, event.starts_on),
        starts_on=event.starts_on,
        ends_on=removed_on,
        reason=event.reason,
    )
    entry = await credit.find(uow, fact)
    if entry is None:
        # The removal names a start date we do not know: close the open listing of that
        # list instead; if there is none, the listing existed and ended — record it closed.
        entry = await credit.open_entry_of(
            uow, event.uscc, kind, CreditSource.MARKET_SUPERVISION, removed_on
        )
    if entry is None:
        # A listing first seen by its removal still counts for joint punishment, as it
        # would had the listing come first (or the registration after it).
        await _record_and_punish(uow, fact, envelope, policies)
        return
    await credit.close(uow, entry, removed_on)


async def on_tax_violation(
    uow: SupervisionUnitOfWork, event: TaxViolationRecorded, envelope: CloudEvent
) -> None:
    """重大税收违法: an archive entry (not a joint-punishment trigger, see §7)."""
    await credit.record(
        uow,
        CreditFact(
            uscc=event.uscc,
            kind=CreditKind.MAJOR_TAX_VIOLATION,
            source=CreditSource.TAX,
            reference=f"{event.kind}:{event.decided_on.isoformat()}",
            starts_on=event.decided_on,
            detail=event.kind[:100],
        ),
    )


async def on_incident(
    uow: SupervisionUnitOfWork, event: IncidentRecorded, envelope: CloudEvent, policies: PolicyStore
) -> None:
    """重大安全/质量/环境事故, 科研严重失信."""
    misconduct = event.kind == "research_misconduct"
    fact = CreditFact(
        uscc=event.uscc,
        kind=CreditKind.RESEARCH_MISCONDUCT if misconduct else CreditKind.MAJOR_INCIDENT,
        source=CreditSource.INCIDENT_AUTHORITY,
        reference=f"{event.kind}:{event.occurred_on.isoformat()}",
        starts_on=event.occurred_on,
        detail=None if misconduct else event.kind,
    )
    await _record_and_punish(uow, fact, envelope, policies)
