"""Credit records (诚信档案) from supervision: kept per enterprise, and turned into `block`
warnings on its open cases when the interval touches the previous or current year."""

from __future__ import annotations

from review.adapters.tables import CreditRecordRow
from review.domain.status import CaseStatus
from review.service_layer.assessment import reassess
from review.service_layer.unit_of_work import ReviewUnitOfWork
from shared.kernel.events.envelope import CloudEvent
from shared.kernel.events.payloads.supervision import CreditRecorded
from shared.platform.policies.store import PolicyStore

# Cases whose warnings still matter to someone deciding something.
WATCHED = (
    CaseStatus.PENDING,
    CaseStatus.ONSITE_REQUIRED,
    CaseStatus.RETURNED,
    CaseStatus.APPROVED,
    CaseStatus.IN_PUBLICITY,
    CaseStatus.HELD,
)


def entry_key(event: CreditRecorded) -> str:
    """The archive's entry id; without one, what identifies a listing: source, kind, start."""
    return event.entry_id or f"{event.source}:{event.kind}:{event.starts_on}"


async def on_credit_recorded(
    uow: ReviewUnitOfWork, event: CreditRecorded, envelope: CloudEvent, policies: PolicyStore
) -> None:
    await uow.cases.lock_enterprise(event.uscc)
    key = entry_key(event)
    # A later event for the same entry closes (or corrects) its interval, never reopens it.
    await uow.credit.record(
        CreditRecordRow(
            entry_key=key,
            uscc=event.uscc,
            kind=event.kind,
            detail=event.detail,
            source=event.source,
            starts_on=event.starts_on,
            ends_on=event.ends_on,
            recorded_at=envelope.time,
        )
    )
    cases = await uow.cases.of_enterprise(event.uscc, WATCHED)
    for case in cases:
        await reassess(uow, case, await policies.get(case.year), envelope.time)
    await uow.audit.record(
        "credit_record.received",
        "credit_record",
        key,
        after={
            "uscc": event.uscc,
            "kind": event.kind,
            "detail": event.detail,
            "starts_on": event.starts_on,
            "ends_on": event.ends_on,
            "cases_reassessed": [str(c.id) for c in cases],
        },
    )
