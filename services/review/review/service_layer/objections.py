"""Objections (异议) from supervision: a case with an open objection is held back from the
announcement; a dismissed objection releases it (registered at once if its batch was
already announced), an upheld one rejects it (domain.md §5.5-5.6)."""

from __future__ import annotations

import uuid
from datetime import datetime

from review.adapters import notices_store
from review.adapters.registry_store import ToRegister
from review.adapters.tables import ObjectionRow, ReviewCaseRow
from review.domain.status import BatchStatus, CaseStatus, ObjectionState
from review.domain.year_close import may_issue_on
from review.service_layer.registry import register
from review.service_layer.unit_of_work import ReviewUnitOfWork
from review.service_layer.year_close import close_case
from shared.kernel.calendar.clock import today_in_china
from shared.kernel.events.envelope import CloudEvent
from shared.kernel.events.payloads.review import ReviewDecided
from shared.kernel.events.payloads.supervision import CaseAccepted, CaseConcluded, CaseFiled
from shared.platform.policies.store import PolicyStore

OPEN, DISMISSED, UPHELD = (s.value for s in ObjectionState)
_ACTOR = "supervision"


def _batch_uuid(batch_id: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(batch_id) if batch_id else None
    except ValueError:
        return None


async def _case_in_batch(
    uow: ReviewUnitOfWork, batch_id: str | None, uscc: str
) -> ReviewCaseRow | None:
    batch = _batch_uuid(batch_id)
    if batch is None:
        return None
    return await uow.cases.in_batch(batch, uscc)


async def _objection(
    uow: ReviewUnitOfWork, case_id: str, batch_id: str | None, uscc: str, at: datetime
) -> ObjectionRow:
    """The objection as review knows it (created if its filing was not seen)."""
    row = await uow.objections.lock(case_id)
    if row is None:
        case = await _case_in_batch(uow, batch_id, uscc)
        row = ObjectionRow(
            supervision_case_id=case_id,
            review_case_id=case.id if case else None,
            batch_id=batch_id,
            uscc=uscc,
            state=OPEN,
            filed_at=at,
        )
        await uow.objections.add(row)
    return row


async def on_case_filed(uow: ReviewUnitOfWork, event: CaseFiled, envelope: CloudEvent) -> None:
    """An objection against an enterprise in publicity: hold its case."""
    if event.kind != "objection" or not event.batch_id:
        return  # complaints and reports do not hold anything
    objection = await _objection(uow, event.case_id, event.batch_id, event.uscc, envelope.time)
    if objection.state != OPEN or objection.review_case_id is None:
        return
    case = await uow.cases.get(objection.review_case_id, for_update=True)
    if case is None or case.status != CaseStatus.IN_PUBLICITY:
        return  # already held by another objection, or no longer in publicity
    uow.cases.move(case, CaseStatus.HELD, envelope.time, "held", actor=_ACTOR, reason=event.case_id)
    await uow.audit.record(
        "review_case.hold",
        "review_case",
        str(case.id),
        before={"status": CaseStatus.IN_PUBLICITY.value},
        after={"status": case.status, "objection": event.case_id},
    )


async def on_case_accepted(
    uow: ReviewUnitOfWork, event: CaseAccepted, envelope: CloudEvent, policies: PolicyStore
) -> None:
    """An objection not accepted (不予受理) holds nothing any more."""
    if event.kind != "objection" or event.accepted:
        return
    objection = await _objection(uow, event.case_id, event.batch_id, event.uscc, envelope.time)
    await _close(uow, objection, DISMISSED, envelope, policies)


async def on_case_concluded(
    uow: ReviewUnitOfWork, event: CaseConcluded, envelope: CloudEvent, policies: PolicyStore
) -> None:
    if event.kind != "objection":
        return
    objection = await _objection(uow, event.case_id, event.batch_id, event.uscc, envelope.time)
    state = UPHELD if event.finding == "substantiated" else DISMISSED
    await _close(uow, objection, state, envelope, policies)


async def _close(
    uow: ReviewUnitOfWork,
    objection: ObjectionRow,
    state: str,
    envelope: CloudEvent,
    policies: PolicyStore,
) -> None:
    if objection.state != OPEN:
        return
    uow.objections.close(objection, ObjectionState(state), envelope.time)
    if objection.review_case_id is None:
        return
    # Lock the batch before the case, in the announcement's order: a release racing an
    # announcement then waits for it and registers the case, instead of putting it back
    # into publicity of a batch that has just been announced (where it would stay).
    batch_id = _batch_uuid(objection.batch_id)
    if batch_id is not None:
        await uow.batches.lock(batch_id)
    case = await uow.cases.get(objection.review_case_id, for_update=True)
    if case is None:
        return
    if state == UPHELD:
        await _reject(uow, case, objection, envelope)
    else:
        await _release(uow, case, envelope, policies)


async def _reject(
    uow: ReviewUnitOfWork, case: ReviewCaseRow, objection: ObjectionRow, envelope: CloudEvent
) -> None:
    """art. §5.6: an upheld objection rejects the case; intake shows `rejected`."""
    if case.status not in (CaseStatus.HELD, CaseStatus.IN_PUBLICITY):
        return
    before = case.status
    reason = f"公示异议经核实成立（监督案件{objection.supervision_case_id}）"
    uow.cases.record_decision(
        case,
        CaseStatus.REJECTED,
        "reject",
        reason,
        by=_ACTOR,
        at=envelope.time,
        action="objection_upheld",
    )
    await uow.outbox.add(
        ReviewDecided(
            case_id=str(case.id),
            application_id=str(case.application_id),
            year=case.year,
            uscc=case.uscc,
            decision="reject",
            reason=reason,
            agency=case.agency,
            decided_at=envelope.time,
            round=case.round,
        )
    )
    await uow.audit.record(
        "review_case.reject_after_objection",
        "review_case",
        str(case.id),
        before={"status": before},
        after={"status": case.status, "objection": objection.supervision_case_id},
    )


async def _release(
    uow: ReviewUnitOfWork, case: ReviewCaseRow, envelope: CloudEvent, policies: PolicyStore
) -> None:
    """No open objection is left: back into publicity, or registered now if the batch has
    been announced meanwhile."""
    if case.status != CaseStatus.HELD:
        return
    still_open = await uow.objections.standing(case.id)
    if still_open:
        return  # another objection is open (or upheld)
    policy = await policies.get(case.year)
    today = today_in_china(envelope.time)
    if not may_issue_on(today, policy.year_closes_on):
        # contract § Round 2 "Year close": a case released after its year closed is never
        # registered (its number would be issued already expired); it is closed instead.
        await close_case(uow, case, envelope.time, _ACTOR)
        return
    batch = await uow.batches.get(case.batch_id) if case.batch_id else None
    if batch is None or batch.status != BatchStatus.ANNOUNCED:
        uow.cases.move(case, CaseStatus.IN_PUBLICITY, envelope.time, "released", actor=_ACTOR)
        await uow.audit.record(
            "review_case.release",
            "review_case",
            str(case.id),
            before={"status": CaseStatus.HELD.value},
            after={"status": case.status},
        )
        return
    issued = await register(
        uow,
        cases=[
            ToRegister(
                case.id,
                case.application_id,
                case.uscc,
                case.enterprise_name,
                case.region_code,
                case.industry_code,
                case.agency,
            )
        ],
        year=case.year,
        batch_id=batch.id,
        policy=policy,
        registered_on=today,
        now=envelope.time,
        actor=_ACTOR,
    )
    notice = await uow.notices.add(
        kind=notices_store.ANNOUNCEMENT,
        year=case.year,
        title=f"{case.year}年度科技型中小企业入库登记补充公告",
        title_en=f"Supplementary announcement of registered S&T SMEs of {case.year}",
        published_on=today,
        batch_id=batch.id,
        now=envelope.time,
    )
    await uow.notices.list_registrations(notice, [e.number for e in issued])
    await uow.outbox.add_many(issued)
    await uow.audit.record(
        "review_case.register_after_objection",
        "review_case",
        str(case.id),
        before={"status": CaseStatus.HELD.value},
        after={"status": CaseStatus.REGISTERED.value, "number": issued[0].number},
    )
