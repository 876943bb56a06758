"""Handling a case (办理): accept or not, then conclude (domain.md §7)."""

from __future__ import annotations

import uuid
from datetime import datetime

from shared.kernel.calendar.clock import today_in_china
from shared.kernel.events.payloads.supervision import CaseAccepted, CaseConcluded
from shared.platform.auth.principal import Principal
from shared.platform.policies.store import PolicyStore
from supervision.adapters.tables import CaseRow, CaseStepRow
from supervision.domain.cases import CaseStatus, Finding
from supervision.domain.credit import CreditKind, CreditSource
from supervision.domain.deadlines import conclude_due_on
from supervision.domain.errors import CaseNotFound
from supervision.service_layer import credit
from supervision.service_layer.event_values import event_kind
from supervision.service_layer.policy_lookup import policy_for
from supervision.service_layer.unit_of_work import SupervisionUnitOfWork
from supervision.views import CASES


async def _load_for_handling(
    uow: SupervisionUnitOfWork, principal: Principal, case_id: uuid.UUID
) -> CaseRow:
    """The case, locked, if it is in the principal's jurisdiction (someone else's: 404)."""
    return CASES.require(principal, await uow.cases.get(case_id, for_update=True), CaseNotFound())


def _step(
    case: CaseRow, to: CaseStatus, now: datetime, principal: Principal, note: str | None
) -> CaseStepRow:
    return CaseStepRow(
        case_id=case.id,
        at=now,
        step=to.value,
        actor_role=principal.role.value,
        actor_org=principal.org,
        note=note,
    )


async def decide_acceptance(
    uow: SupervisionUnitOfWork,
    principal: Principal,
    case_id: uuid.UUID,
    *,
    accepted: bool,
    reason: str | None,
    now: datetime,
    policies: PolicyStore,
) -> CaseRow:
    """受理 (the conclusion deadline starts) or 不予受理 (with the reason; case closed)."""
    case = await _load_for_handling(uow, principal, case_id)
    current = CaseStatus(case.status)
    target = CaseStatus.ACCEPTED if accepted else CaseStatus.NOT_ACCEPTED
    today = today_in_china(now)
    await uow.cases.move(case, target, _step(case, target, now, principal, reason))
    if accepted:
        policy = await policy_for(policies, case.year)
        due = conclude_due_on(today, policy.supervision, await policies.calendar())
        case.accepted_on = today
        case.conclude_due_on = due.value
        case.conclude_due_provisional = due.provisional
        case.due_on = due.value
    else:
        case.not_accepted_reason = reason
        case.due_on = None
    await uow.outbox.add(
        CaseAccepted(
            case_id=str(case.id),
            kind=event_kind(case.kind),
            uscc=case.subject_uscc,
            batch_id=case.batch_id,
            accepted=accepted,
            agency=case.agency,
        )
    )
    await uow.audit.record(
        "case.accept" if accepted else "case.not_accept",
        "supervision_case",
        str(case.id),
        before={"status": current.value},
        after={"status": case.status, "reason": reason, "conclude_due_on": case.conclude_due_on},
    )
    return case


async def conclude(
    uow: SupervisionUnitOfWork,
    principal: Principal,
    case_id: uuid.UUID,
    *,
    finding: Finding,
    measures: str | None,
    now: datetime,
) -> CaseRow:
    """办结: the finding and the measures taken. A substantiated case enters the archive."""
    case = await _load_for_handling(uow, principal, case_id)
    current = CaseStatus(case.status)
    today = today_in_china(now)
    note = f"{finding.value}: {measures or ''}".strip()
    await uow.cases.move(
        case, CaseStatus.CONCLUDED, _step(case, CaseStatus.CONCLUDED, now, principal, note)
    )
    case.finding = finding.value
    case.measures = measures
    case.concluded_on = today
    case.due_on = None
    await uow.outbox.add(
        CaseConcluded(
            case_id=str(case.id),
            kind=event_kind(case.kind),
            uscc=case.subject_uscc,
            batch_id=case.batch_id,
            finding=finding.value,
            agency=case.agency,
            concluded_on=today,
        )
    )
    if finding is Finding.SUBSTANTIATED:
        await credit.record(
            uow,
            credit.CreditFact(
                uscc=case.subject_uscc,
                kind=CreditKind.SUBSTANTIATED_CASE,
                source=CreditSource.SUPERVISION,
                reference=f"case:{case.id}",
                starts_on=today,
                detail=case.kind,
            ),
        )
    await uow.audit.record(
        "case.conclude",
        "supervision_case",
        str(case.id),
        before={"status": current.value},
        after={"status": case.status, "finding": case.finding, "measures": measures},
    )
    return case
