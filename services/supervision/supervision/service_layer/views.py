"""Local views of review's facts: the registry (入库登记) and the publicity batches (公示).

Supervision needs them to route cases, to admit objections and to validate revocations.
Both are rebuilt from events; upserts make redeliveries harmless, and a status never moves
back (a registration once revoked stays revoked even if an older `issued` arrives late).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shared.kernel.calendar.clock import today_in_china
from shared.kernel.events.envelope import CloudEvent
from shared.kernel.events.payloads.review import (
    PublicityStarted,
    RegistrationChanged,
    RegistrationIssued,
    RegistrationRevoked,
    SpotCheckFailed,
)
from shared.platform.messaging.handler_registry import Received, chunks_without_repeats
from shared.platform.policies.store import PolicyStore
from supervision.domain.jurisdiction import case_agency
from supervision.domain.revocation import RevocationOrigin
from supervision.service_layer import joint_punishment, revocations
from supervision.service_layer.unit_of_work import SupervisionUnitOfWork


def _registry_values(event: RegistrationIssued) -> dict[str, Any]:
    return {
        "uscc": event.uscc,
        "year": event.year,
        "region_code": event.region_code,
        "agency": event.agency,
        "enterprise_name": event.enterprise_name,
        "registered_on": event.registered_on,
        "valid_until": event.valid_until,
    }


async def on_registrations_issued(
    uow: SupervisionUnitOfWork,
    received: Sequence[Received[RegistrationIssued]],
    policies: PolicyStore,
) -> None:
    """A run of issued registrations (an announcement reaches supervision as thousands): each
    chunk with no number twice is one upsert, and joint punishment is checked only for the
    enterprises that already have a listing or an incident (one query per chunk) — for the
    others `after_registration` would find no entry."""
    for chunk in chunks_without_repeats(received, lambda e: e.number):
        events = [item.payload for item in chunk]
        await uow.registry.upsert_registrations(
            [{"number": e.number, "status": "valid", **_registry_values(e)} for e in events],
            # A later `issued` sets the facts of a known registration, never its status.
            update=_registry_values(events[0]).keys(),
        )
        listed = await uow.credit.punishable_among({e.uscc for e in events})
        for item in chunk:
            if item.payload.uscc not in listed:
                continue
            # Locked and read afresh (the upsert above may have changed it).
            registration = await uow.registry.registration(item.payload.number, for_update=True)
            assert registration is not None
            await joint_punishment.after_registration(
                uow,
                registration,
                today_in_china(item.envelope.time),
                policies,
            )


async def on_registration_revoked(
    uow: SupervisionUnitOfWork, event: RegistrationRevoked, envelope: CloudEvent
) -> None:
    revoked = {
        "status": "revoked",
        "revoked_on": event.revoked_on,
        "revoked_ground": event.ground[:40],
    }
    # Revoked before we saw it issued (out of order): remember it with what we know.
    await uow.registry.upsert_registration(
        event.number,
        {
            "uscc": event.uscc,
            "year": event.year,
            "region_code": event.uscc[2:8],
            "agency": case_agency(event.uscc),
            **revoked,
        },
        update=revoked,
    )
    await revocations.mark_applied(uow, event.number, event.revoked_on)
    await uow.audit.record(
        "registry.revoked", "registration", event.number, after={"revoked_on": event.revoked_on}
    )


async def on_publicity_started(
    uow: SupervisionUnitOfWork, event: PublicityStarted, envelope: CloudEvent
) -> None:
    period = {"year": event.year, "starts_on": event.starts_on, "ends_on": event.ends_on}
    await uow.registry.upsert_batch(event.batch_id, period)
    # One statement for the whole batch; a USCC listed twice counts once.
    rows = list(
        {
            e.uscc: {
                "batch_id": event.batch_id,
                "uscc": e.uscc,
                "name": e.name[:200],
                "agency": e.agency,
                "case_id": e.case_id,
                "starts_on": event.starts_on,
            }
            for e in event.entries
        }.values()
    )
    if not rows:
        return
    await uow.registry.upsert_entries(rows)


async def on_spot_check_failed(
    uow: SupervisionUnitOfWork, event: SpotCheckFailed, envelope: CloudEvent
) -> None:
    """A failed year-end spot check (集中抽查) starts a revocation: a proposal for the province."""
    await revocations.open_proposal(
        uow,
        number=event.number,
        uscc=event.uscc,
        year=event.year,
        agency=event.agency,
        ground="failed_spot_check",
        basis="集中抽查未通过 / failed the year-end spot check",
        evidence={
            "type": "spot_check",
            "spot_check_id": event.spot_check_id,
            "notes": event.notes,
        },
        origin=RevocationOrigin.SPOT_CHECK,
    )


async def on_registration_changed(
    uow: SupervisionUnitOfWork, event: RegistrationChanged, envelope: CloudEvent
) -> None:
    """A change reported after registration (重大变化报告, contract § Round 2): the local
    registry view follows a name change; a size change (a size condition no longer met,
    art. 6) opens a revocation proposal for the registration's agency."""
    if event.kind == "name":
        reg = await uow.registry.registration(event.number, for_update=True)
        if reg is not None:
            reg.enterprise_name = event.new_value
        return
    if event.kind != "size":
        return
    await revocations.open_proposal(
        uow,
        number=event.number,
        uscc=event.uscc,
        year=event.year,
        agency=event.agency,
        ground="no_longer_eligible",
        basis="企业报告规模变化，不再符合规模条件 / the enterprise reported a size change",
        evidence={
            "type": "change_report",
            "change_id": event.change_id,
            "new_value": event.new_value,
            "effective_on": event.effective_on.isoformat(),
        },
        origin=RevocationOrigin.CHANGE_REPORT,
    )
