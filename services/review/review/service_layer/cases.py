"""Use cases of review cases: opening and continuing them from intake's events, the on-site
check and the agency's decision. One function per command or event."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from review.adapters.tables import ReviewCaseRow
from review.domain.decision import Decision, Notes, OpenWarning, decide
from review.domain.errors import CaseNotFound, OnsiteNotRequired
from review.domain.status import DECIDABLE, WITHDRAWABLE, CaseStatus
from review.service_layer.assessment import propagate_cross_warnings
from review.service_layer.unit_of_work import ReviewUnitOfWork
from review.views import CASES
from shared.kernel.events.envelope import CloudEvent
from shared.kernel.events.payloads.intake import ApplicationWithdrawn
from shared.kernel.events.payloads.review import ReviewDecided
from shared.platform.auth.principal import Principal
from shared.platform.policies.store import PolicyStore


async def on_application_withdrawn(
    uow: ReviewUnitOfWork, event: ApplicationWithdrawn, envelope: CloudEvent, policies: PolicyStore
) -> None:
    """The enterprise withdrew (before a decision, as intake saw it): the case closes — also
    if review approved it meanwhile (see `WITHDRAWABLE`) — and its IP and contact claims no
    longer count against other enterprises."""
    await uow.cases.lock_enterprise(event.uscc)
    case = await uow.cases.of_application(uuid.UUID(event.application_id), for_update=True)
    if case is None or CaseStatus(case.status) not in WITHDRAWABLE:
        return
    before = case.status
    uow.cases.move(
        case, CaseStatus.WITHDRAWN, envelope.time, "withdrawn", actor=f"enterprise:{event.uscc}"
    )
    numbers, contacts = await uow.claims.of_case(case.id)
    await uow.claims.lock(case.year, numbers, contacts)
    await uow.claims.remove(case.id)
    policy = await policies.get(case.year)
    await propagate_cross_warnings(
        uow,
        year=case.year,
        rules=policy.warnings,
        numbers=set(numbers),
        contacts=set(contacts),
        sources={case.id},
        now=envelope.time,
    )
    await uow.audit.record(
        "review_case.withdrawn",
        "review_case",
        str(case.id),
        before={"status": before},
        after={"status": case.status},
    )


async def own_case(
    uow: ReviewUnitOfWork, principal: Principal, case_id: uuid.UUID
) -> ReviewCaseRow:
    """The case, locked, if the calling agency is the one it was routed to (else 404)."""
    return CASES.require(principal, await uow.cases.get(case_id, for_update=True), CaseNotFound())


async def record_onsite_check(
    uow: ReviewUnitOfWork,
    principal: Principal,
    case_id: uuid.UUID,
    result: str,
    notes: str | None,
    now: datetime,
) -> ReviewCaseRow:
    case = await own_case(uow, principal, case_id)
    if not case.onsite_triggers or CaseStatus(case.status) not in DECIDABLE:
        raise OnsiteNotRequired()
    before = {"status": case.status, "onsite_result": case.onsite_result}
    uow.cases.record_onsite(case, result, notes, by=principal.sub, at=now)
    await uow.audit.record(
        "review_case.onsite_check",
        "review_case",
        str(case.id),
        before=before,
        after={"status": case.status, "onsite_result": result, "notes": notes},
    )
    return case


@dataclass(frozen=True)
class DecisionRequest:
    decision: Decision
    reason: str | None
    notes: Notes


async def decide_case(
    uow: ReviewUnitOfWork,
    principal: Principal,
    case_id: uuid.UUID,
    request: DecisionRequest,
    now: datetime,
) -> ReviewCaseRow:
    """The routed agency approves, returns or rejects; intake reflects it from the event."""
    case = await own_case(uow, principal, case_id)
    open_rows = await uow.warnings.lock_open(case.id)
    new_status, noted = decide(
        CaseStatus(case.status),
        request.decision,
        reason=request.reason,
        notes=request.notes,
        onsite_triggers=case.onsite_triggers,
        onsite_result=case.onsite_result,
        open_warnings=[OpenWarning(w.code, w.subject, w.severity) for w in open_rows],
    )
    for row in open_rows:
        note = noted.get((row.code, row.subject))
        if note is not None:
            row.resolved, row.resolution, row.resolved_at = True, "noted", now
            row.note, row.noted_by = note, principal.sub
    before = case.status
    reason = request.reason.strip() if request.reason else None
    uow.cases.record_decision(
        case,
        new_status,
        request.decision.value,
        reason,
        by=principal.sub,
        at=now,
        action=f"decision_{request.decision.value}",
    )
    await uow.outbox.add(
        ReviewDecided(
            case_id=str(case.id),
            application_id=str(case.application_id),
            year=case.year,
            uscc=case.uscc,
            decision=request.decision.value,
            reason=reason,
            agency=case.agency,
            decided_at=now,
            round=case.round,
        )
    )
    await uow.audit.record(
        "review_case.decide",
        "review_case",
        str(case.id),
        before={"status": before},
        after={
            "status": case.status,
            "decision": request.decision.value,
            "reason": reason,
            "notes": {f"{c}:{s}" if s else c: n for (c, s), n in noted.items()},
        },
    )
    return case
