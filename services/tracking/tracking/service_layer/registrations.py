"""What a registration does to reporting obligations (events from review).

`registration.issued`  → one obligation per quarter that ends while it is valid;
`registration.revoked` → the quarters ending after the revocation date are cancelled.
Both are idempotent in effect (upserts, ON CONFLICT DO NOTHING, deletes by condition) and
tolerate a revocation replayed before its registration: the registration row keeps the
revocation date, and the issue then creates only the quarters before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from shared.kernel.calendar.quarters import Quarter
from shared.kernel.calendar.working_days import CalendarDate
from shared.kernel.events.envelope import CloudEvent
from shared.kernel.events.payloads.review import RegistrationIssued, RegistrationRevoked
from shared.platform.db.audit import AuditEntry
from shared.platform.messaging.handler_registry import Received, chunks_without_repeats
from shared.platform.policies.store import PolicyStore
from tracking.domain.due_dates import due_date
from tracking.domain.obligation_state import ObligationState
from tracking.domain.reporting_quarters import (
    last_quarter_kept,
    quarter_index,
    reporting_quarters,
)
from tracking.service_layer.unit_of_work import TrackingUnitOfWork


async def on_registrations_issued(
    uow: TrackingUnitOfWork,
    received: Sequence[Received[RegistrationIssued]],
    policies: PolicyStore,
) -> None:
    """A run of issued registrations (an announcement reaches tracking as thousands): each
    chunk with no number twice is three statements — registrations, obligations, audit."""
    calendar = await policies.calendar()
    # Thousands of registrations share a handful of (policy year, quarter) due dates; each
    # is counted once (on a working-day calendar that is the costly part).
    due_dates: dict[tuple[int, Quarter], CalendarDate] = {}
    for chunk in chunks_without_repeats(received, lambda e: e.number):
        events = [item.payload for item in chunk]
        revoked = await uow.registrations.issue([_registration_values(e) for e in events])
        rows = []
        for event in events:
            # The registration's evaluation year sets the due dates and the report fields.
            policy = await policies.get(event.year)
            quarters = reporting_quarters(
                event.registered_on, event.valid_until, revoked.get(event.number)
            )
            for q in quarters:
                due = due_dates.get((event.year, q))
                if due is None:
                    due = due_dates[event.year, q] = due_date(q, policy.tracking, calendar)
                rows.append(
                    {
                        "uscc": event.uscc,
                        "year": q.year,
                        "quarter": q.quarter,
                        "registration_number": event.number,
                        "policy_year": event.year,
                        "agency": event.agency,
                        "region_code": event.region_code,
                        "industry_code": event.industry_code,
                        "enterprise_name": event.enterprise_name,
                        "due_on": due.value,
                        "due_on_provisional": due.provisional,
                        "state": ObligationState.DUE.value,
                    }
                )
        created: dict[str, list[str]] = {e.number: [] for e in events}
        for r in await uow.obligations.add_many(rows):
            created[r.registration_number].append(_label(r.year, r.quarter, r.due_on))
        await uow.audit.record_many(
            [
                AuditEntry(
                    "obligation.create",
                    "registration",
                    e.number,
                    after={"uscc": e.uscc, "quarters": created[e.number]},
                )
                for e in events
            ]
        )


def _registration_values(event: RegistrationIssued) -> dict[str, Any]:
    return {
        "number": event.number,
        "uscc": event.uscc,
        "year": event.year,
        "region_code": event.region_code,
        "agency": event.agency,
        "enterprise_name": event.enterprise_name,
        "industry_code": event.industry_code,
        "registered_on": event.registered_on,
        "valid_until": event.valid_until,
    }


async def on_registration_revoked(
    uow: TrackingUnitOfWork, event: RegistrationRevoked, envelope: CloudEvent
) -> None:
    await uow.registrations.revoke(
        number=event.number,
        uscc=event.uscc,
        year=event.year,
        revoked_on=event.revoked_on,
        ground=event.ground,
    )
    kept = last_quarter_kept(event.revoked_on)
    cancelled = await uow.obligations.cancel_after(event.uscc, event.number, quarter_index(kept))
    await uow.audit.record(
        "obligation.cancel",
        "registration",
        event.number,
        before={
            "obligations": [
                {"year": r.year, "quarter": r.quarter, "state": r.state} for r in cancelled
            ]
        },
        after={"revoked_on": event.revoked_on, "ground": event.ground},
    )


def _label(year: int, quarter: int, due_on: date) -> str:
    return f"{year}Q{quarter} due {due_on.isoformat()}"
