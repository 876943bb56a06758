"""The application's status follows review's events (one function per event type).

Each runs in the consumer's transaction with the inbox record (a redelivery is skipped
before it gets here). Events of different topics may arrive out of order, so each change
goes through `event_may_move` (then `move()` in the repository): a late event never moves an
application backwards, and an event for an application that is gone (withdrawn) changes
nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from intake.adapters.tables import ApplicationRow
from intake.domain.applying import Revocation
from intake.domain.status import (
    ApplicationStatus,
    BatchMove,
    RegistrationMove,
    event_may_move,
    move,
    sources_of,
)
from intake.service_layer.unit_of_work import IntakeUnitOfWork
from shared.kernel.events.envelope import CloudEvent
from shared.kernel.events.payloads.intake import ApplicationClosed
from shared.kernel.events.payloads.review import (
    PublicityStarted,
    RegistrationIssued,
    RegistrationRevoked,
    ReviewCaseClosed,
    ReviewCaseOpened,
    ReviewDecided,
)
from shared.platform.db.audit import AuditEntry
from shared.platform.messaging.handler_registry import Received

S = ApplicationStatus

_DECISIONS = {"approve": S.APPROVED, "return": S.RETURNED, "reject": S.REJECTED}


def _uuid(value: str | None) -> uuid.UUID | None:
    if value is None:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None  # not one of ours: the USCC and year still find the application


async def _find(
    uow: IntakeUnitOfWork,
    application_id: str | None,
    uscc: str,
    year: int,
    reported: ApplicationStatus,
) -> ApplicationRow | None:
    """The application an event is about: by id when it names one, else the enterprise's
    application of the year that the reported status could follow."""
    by_id = _uuid(application_id)
    if by_id is not None:
        row = await uow.applications.get(by_id, for_update=True)
        return row if row is not None and row.uscc == uscc else None
    return await uow.applications.live(uscc, year, statuses=sources_of(reported), for_update=True)


async def _move(
    uow: IntakeUnitOfWork,
    row: ApplicationRow,
    reported: ApplicationStatus,
    at: datetime,
    reason: str | None,
    action: str,
) -> bool:
    current = ApplicationStatus(row.status)
    if not event_may_move(current, reported):
        return False
    uow.applications.record_status(row, reported, at, reason, by_event=True)
    await uow.audit.record(
        action,
        "application",
        str(row.id),
        before={"status": current.value},
        after={"status": row.status, "reason": reason},
    )
    return True


async def on_review_opened(
    uow: IntakeUnitOfWork, event: ReviewCaseOpened, envelope: CloudEvent
) -> None:
    """review: a case was opened for the submission → `under_review`."""
    application_id = _uuid(event.application_id)
    if application_id is None:
        return  # not an application of ours
    row = await uow.applications.get(application_id, for_update=True)
    if row is None or row.round != event.round:
        return  # an older round's event arriving late changes nothing
    if row.agency != event.agency:
        # Jurisdiction follows the agency review routed the case to (it is the one deciding),
        # so the two services never show the application to different agencies.
        await uow.audit.record(
            "application.routed",
            "application",
            str(row.id),
            before={"agency": row.agency},
            after={"agency": event.agency, "case_id": event.case_id},
        )
        row.agency = event.agency
    await _move(uow, row, S.UNDER_REVIEW, event.opened_at, None, "application.under_review")


async def on_review_decided(
    uow: IntakeUnitOfWork, event: ReviewDecided, envelope: CloudEvent
) -> None:
    """review decided: approve → `approved`; return → `returned` (editable again, with the
    reviewer's reason); reject → `rejected` (also a held case after an upheld objection)."""
    reported = _DECISIONS[event.decision]
    row = await _find(uow, event.application_id, event.uscc, event.year, reported)
    if row is None or event.round < row.round:
        return  # a decision on an older round (before a resubmission) changes nothing
    at = event.decided_at or envelope.time
    moved = await _move(uow, row, reported, at, event.reason, f"application.{reported.value}")
    if moved and reported is not S.APPROVED:
        row.decision_reason = event.reason


async def on_publicity_started(
    uow: IntakeUnitOfWork, event: PublicityStarted, envelope: CloudEvent
) -> None:
    """The province published a publicity batch (公示): its entries → `in_publicity`."""
    ids = {i for e in event.entries if (i := _uuid(e.application_id)) is not None}
    without_id = {e.uscc for e in event.entries if _uuid(e.application_id) is None}
    moved = await uow.applications.move_many(
        BatchMove(
            year=event.year,
            application_ids=ids,
            usccs=without_id,
            sources=sources_of(S.IN_PUBLICITY),
            target=S.IN_PUBLICITY,
            at=envelope.time,
            reason=f"公示期 {event.starts_on} 至 {event.ends_on}",
            by_event=True,
        )
    )
    if moved:
        # One audit record for the batch: it names every application it moved.
        await uow.audit.record(
            "application.in_publicity",
            "publicity_batch",
            event.batch_id,
            after={"status": S.IN_PUBLICITY.value, "applications": [str(i) for i in moved]},
        )


async def on_registrations_issued(
    uow: IntakeUnitOfWork, received: Sequence[Received[RegistrationIssued]]
) -> None:
    """review registered enterprises (入库登记; thousands at once at an announcement): each
    application → `registered` with its number. The applications of the whole run are
    found and locked in one query; then each event, in order, is decided as `_find` and
    `_move` decide one (a later event sees what an earlier one of the run did); the
    changes with their timeline entries, and the audit rows, are one statement each."""
    events = [
        (item.payload, _uuid(item.payload.application_id), item.envelope) for item in received
    ]
    by_id, live = await uow.applications.for_events(
        ids={i for _, i, _ in events if i is not None},
        live_of={(e.uscc, e.year) for e, i, _ in events if i is None},
        statuses=sources_of(S.REGISTERED),
    )
    now: dict[uuid.UUID, ApplicationStatus] = {}  # the statuses the run has set so far
    moves: list[RegistrationMove] = []
    entries: dict[uuid.UUID, AuditEntry] = {}
    for event, application_id, envelope in events:
        if application_id is not None:
            found = by_id.get(application_id)
            found = found if found is not None and found.uscc == event.uscc else None
        else:
            found = live.get((event.uscc, event.year))
        if found is None:
            continue
        current = now.get(found.id, found.status)
        if not event_may_move(current, S.REGISTERED):
            continue
        step = move(current, S.REGISTERED, by_event=True)
        moves.append(RegistrationMove(found.id, step, envelope.time, event.number))
        now[found.id] = S.REGISTERED
        entries[found.id] = AuditEntry(
            "application.registered",
            "application",
            str(found.id),
            before={"status": current.value},
            after={"status": S.REGISTERED.value, "reason": event.number},
        )
    moved = set(await uow.applications.register_many(moves))
    # The rows are locked since `for_events`, so every move is written; an audit record
    # still only for what was.
    await uow.audit.record_many([entry for i, entry in entries.items() if i in moved])


async def on_registration_revoked(
    uow: IntakeUnitOfWork, event: RegistrationRevoked, envelope: CloudEvent
) -> None:
    """A registration was revoked (撤销登记编号): → `revoked`, and the enterprise may not
    apply again that year (domain.md §7), recorded even if intake has no application."""
    bar = {
        "number": event.number,
        "uscc": event.uscc,
        "year": event.year,
        "ground": event.ground,
        "revoked_on": event.revoked_on,
    }
    revocation = Revocation(
        number=event.number, registration_year=event.year, revoked_on=event.revoked_on
    )
    if await uow.applications.add_revocation(event.uscc, revocation, event.ground):
        # The bar on applying again is a write of its own (also without an application here).
        await uow.audit.record(
            "enterprise.barred_after_revocation",
            "enterprise",
            event.uscc,
            after=bar,
        )
    row = await _find_registered(uow, event)
    if row is None:
        return
    if await _move(uow, row, S.REVOKED, envelope.time, event.ground, "application.revoked"):
        row.registration_number = row.registration_number or event.number


async def _find_registered(
    uow: IntakeUnitOfWork, event: RegistrationRevoked
) -> ApplicationRow | None:
    if event.application_id is not None:
        return await _find(uow, event.application_id, event.uscc, event.year, S.REVOKED)
    row = await uow.applications.live(
        event.uscc, event.year, statuses=sources_of(S.REVOKED), for_update=True
    )
    if row is not None and row.registration_number not in (None, event.number):
        return None  # another registration's revocation
    return row


async def on_review_closed(
    uow: IntakeUnitOfWork, event: ReviewCaseClosed, envelope: CloudEvent
) -> None:
    """review closed the case at the year close → `closed` (reason `year_closed`), announced
    with `cn.sme.application.closed.v1` in the same transaction (contract § Round 2)."""
    row = await _find(uow, event.application_id, event.uscc, event.year, S.CLOSED)
    if row is None:
        return
    if await _move(uow, row, S.CLOSED, event.closed_at, event.reason, "application.closed"):
        await uow.outbox.add(
            ApplicationClosed(
                application_id=str(row.id),
                year=row.year,
                uscc=row.uscc,
                reason=event.reason,
                closed_at=event.closed_at,
            )
        )
