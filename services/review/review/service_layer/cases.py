"""Use cases of review cases: opening and continuing them from intake's events, the on-site
check and the agency's decision. One function per command or event."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from review.adapters import cross_checks, locks, repository, warnings_store
from review.adapters.tables import ReviewCaseRow
from review.domain import onsite
from review.domain.decision import Decision, Notes, OpenWarning, decide
from review.domain.errors import CaseNotFound, OnsiteNotRequired
from review.domain.status import DECIDABLE, WITHDRAWABLE, CaseStatus, move_case
from review.service_layer.assessment import propagate_cross_warnings
from review.views import CASES
from shared.kernel.events.envelope import CloudEvent
from shared.kernel.events.payloads.intake import ApplicationWithdrawn
from shared.kernel.events.payloads.review import ReviewDecided
from shared.platform.auth.principal import Principal
from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.policies.store import PolicyStore


async def on_application_withdrawn(
    uow: UnitOfWork, event: ApplicationWithdrawn, envelope: CloudEvent, policies: PolicyStore
) -> None:
    """The enterprise withdrew (before a decision, as intake saw it): the case closes — also
    if review approved it meanwhile (see `WITHDRAWABLE`) — and its IP and contact claims no
    longer count against other enterprises."""
    session = uow.session
    await locks.lock(session, [locks.enterprise_key(event.uscc)])
    case = await repository.case_of_application(
        session, uuid.UUID(event.application_id), for_update=True
    )
    if case is None or CaseStatus(case.status) not in WITHDRAWABLE:
        return
    before = case.status
    case.status = move_case(CaseStatus(case.status), CaseStatus.WITHDRAWN).value
    case.updated_at = envelope.time
    numbers, contacts = await cross_checks.claims_of(session, case.id)
    await locks.lock(
        session,
        [locks.ip_key(case.year, n) for n in numbers]
        + [locks.contact_key(case.year, k, v) for k, v in contacts],
    )
    await cross_checks.remove_claims(session, case.id)
    policy = await policies.get(case.year)
    await propagate_cross_warnings(
        session,
        year=case.year,
        rules=policy.warnings,
        numbers=set(numbers),
        contacts=set(contacts),
        sources={case.id},
        now=envelope.time,
    )
    repository.record_history(
        session, case, "withdrawn", envelope.time, actor=f"enterprise:{event.uscc}"
    )
    await uow.audit.record(
        "review_case.withdrawn",
        "review_case",
        str(case.id),
        before={"status": before},
        after={"status": case.status},
    )


async def own_case(uow: UnitOfWork, principal: Principal, case_id: uuid.UUID) -> ReviewCaseRow:
    """The case, locked, if the calling agency is the one it was routed to (else 404)."""
    return CASES.require(
        principal, await repository.get_case(uow.session, case_id, for_update=True), CaseNotFound()
    )


async def record_onsite_check(
    uow: UnitOfWork,
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
    case.onsite_result = result
    case.onsite_notes = notes
    case.onsite_recorded_at = now
    case.onsite_recorded_by = principal.sub
    assessed = onsite.status_for(case.onsite_triggers, case.onsite_result)
    case.status = move_case(CaseStatus(case.status), assessed).value
    case.updated_at = now
    repository.record_history(
        uow.session, case, f"onsite_{result}", now, actor=principal.sub, reason=notes
    )
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
    uow: UnitOfWork,
    principal: Principal,
    case_id: uuid.UUID,
    request: DecisionRequest,
    now: datetime,
) -> ReviewCaseRow:
    """The routed agency approves, returns or rejects; intake reflects it from the event."""
    session = uow.session
    case = await own_case(uow, principal, case_id)
    open_rows = await warnings_store.lock_open_warnings(session, case.id)
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
    case.status = move_case(CaseStatus(case.status), new_status).value
    case.decision = request.decision.value
    case.decision_reason = reason
    case.decided_at = now
    case.decided_by = principal.sub
    case.updated_at = now
    repository.record_history(
        session, case, f"decision_{request.decision.value}", now, actor=principal.sub, reason=reason
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
