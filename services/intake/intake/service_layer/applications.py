"""Use cases of the enterprise's applications: one function per command.

Each takes the unit of work of the request (one transaction: state change, outbox events
and audit record together), through its repository interfaces
(`intake.service_layer.unit_of_work`), and raises a domain error instead of changing anything when a
rule says no.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from intake.adapters.tables import ApplicationRow
from intake.domain.applying import ensure_not_revoked, ensure_window_open
from intake.domain.documents import missing_evidence
from intake.domain.errors import (
    ApplicationNotFound,
    EvidenceMissing,
    FormDoesNotMatchApplication,
    LiveApplicationExists,
    NotEditable,
    NotEligible,
    NotSubmittable,
    NotWithdrawable,
    NotYourEnterprise,
)
from intake.domain.self_evaluation import self_evaluate
from intake.domain.status import EDITABLE, SUBMITTABLE, WITHDRAWABLE, ApplicationStatus
from intake.service_layer.unit_of_work import IntakeUnitOfWork
from shared.kernel.calendar.clock import today_in_china
from shared.kernel.codes.orgtree import org_tree
from shared.kernel.codes.uscc import check_uscc
from shared.kernel.errors import FieldError, field_error
from shared.kernel.evaluation.form import InformationForm
from shared.kernel.evaluation.result import SelfEvaluation
from shared.kernel.events.payloads.intake import (
    ApplicationSubmitted,
    ApplicationWithdrawn,
    EvidenceDocument,
)
from shared.kernel.policy.model import Policy
from shared.platform.auth.principal import Principal
from shared.platform.policies.store import PolicyStore


async def own_application(
    uow: IntakeUnitOfWork, principal: Principal, application_id: uuid.UUID
) -> ApplicationRow:
    """The enterprise's own application, locked; someone else's is "not found" (404)."""
    row = await uow.applications.get(application_id, for_update=True)
    if row is None or row.uscc != principal.uscc:
        raise ApplicationNotFound()
    return row


def _route(form: InformationForm) -> str:
    return org_tree().route(form.enterprise.region_code, form.enterprise.high_tech_zone).code


async def create_draft(
    uow: IntakeUnitOfWork,
    principal: Principal,
    form: InformationForm,
    policy: Policy,
    now: datetime,
) -> ApplicationRow:
    if form.enterprise.uscc != principal.uscc:
        raise NotYourEnterprise()
    uscc = form.enterprise.uscc
    ensure_not_revoked(form.year, await uow.applications.revocations_of(uscc))
    existing = await uow.applications.live(uscc, form.year)
    if existing is not None:
        raise LiveApplicationExists(form.year, str(existing.id))
    evaluation = self_evaluate(form, policy, today_in_china(now))
    row = ApplicationRow(
        id=uuid.uuid4(),
        year=form.year,
        uscc=uscc,
        agency=_route(form),
        status=ApplicationStatus.DRAFT.value,
        form=form.model_dump(mode="json"),
        self_evaluation=evaluation.model_dump(mode="json"),
        policy_version=policy.version,
        round=0,
        created_at=now,
    )
    await uow.applications.add(row, now)  # LiveApplicationExists if a concurrent create won
    await uow.audit.record(
        "application.create",
        "application",
        str(row.id),
        after={"status": row.status, "year": row.year, "form": row.form},
    )
    return row


async def replace_form(
    uow: IntakeUnitOfWork,
    principal: Principal,
    application_id: uuid.UUID,
    form: InformationForm,
    policy: Policy,
    now: datetime,
) -> ApplicationRow:
    """PUT /applications/{id}: a draft or a returned application gets a new form."""
    row = await own_application(uow, principal, application_id)
    if ApplicationStatus(row.status) not in EDITABLE:
        raise NotEditable(row.status)
    problems = []
    if form.year != row.year:
        problems.append(
            field_error(
                ["body", "year"],
                f"应为申请的年度{row.year}",
                f"must be the application's year {row.year}",
                "form_year_changed",
            )
        )
    if form.enterprise.uscc != row.uscc:
        problems.append(
            field_error(
                ["body", "enterprise", "uscc"],
                "应为申请企业的统一社会信用代码",
                "must be the applying enterprise's USCC",
                "form_uscc_changed",
            )
        )
    if problems:
        raise FormDoesNotMatchApplication(details=problems)
    before = row.form
    evaluation = self_evaluate(form, policy, today_in_china(now))
    row.form = form.model_dump(mode="json")
    row.self_evaluation = evaluation.model_dump(mode="json")
    row.policy_version = policy.version
    row.updated_at = now
    if row.round == 0:
        # Routed anew while never submitted. After a return the application stays with the
        # agency holding the case until review opens the next round, which names the agency
        # it routed the resubmitted form to (`status_events.on_review_opened`).
        row.agency = _route(form)
    await uow.audit.record(
        "application.edit",
        "application",
        str(row.id),
        before={"form": before},
        after={"form": row.form},
    )
    return row


def _failed_conditions(evaluation: SelfEvaluation) -> list[FieldError]:
    """The conditions that decide ineligibility, each with its path in the self-evaluation."""
    decisive = {"basic", "score"}
    failed = [c for c in evaluation.conditions if not c.passed and c.group in decisive]
    score_failed = any(c.code == "score_or_fast_track" for c in failed)
    if score_failed:  # then the unqualified fast-track claims explain why none helped
        failed += [c for c in evaluation.conditions if not c.passed and c.group == "fast_track"]
    return [field_error(["conditions", c.code], c.message, c.message_en, c.code) for c in failed]


async def submit(
    uow: IntakeUnitOfWork,
    principal: Principal,
    application_id: uuid.UUID,
    policies: PolicyStore,
    now: datetime,
) -> ApplicationRow:
    row = await own_application(uow, principal, application_id)
    policy = await policies.get(row.year)
    current = ApplicationStatus(row.status)
    if current not in SUBMITTABLE:
        raise NotSubmittable(row.status)
    ensure_not_revoked(row.year, await uow.applications.revocations_of(row.uscc))
    today = today_in_china(now)
    ensure_window_open(policy, today, resubmission=current is ApplicationStatus.RETURNED)
    form = InformationForm.model_validate(row.form)
    evaluation = self_evaluate(form, policy, today)
    if not evaluation.eligible:
        raise NotEligible(details=_failed_conditions(evaluation))
    documents = await _evidence_of(uow, row, form, policy)
    row.self_evaluation = evaluation.model_dump(mode="json")
    row.policy_version = policy.version
    row.round += 1
    row.submitted_at = now
    row.decision_reason = None
    uow.applications.record_status(row, ApplicationStatus.SUBMITTED, now)
    await uow.outbox.add(
        ApplicationSubmitted(
            application_id=str(row.id),
            year=row.year,
            uscc=row.uscc,
            form=form,
            self_evaluation=evaluation,
            submitted_at=now,
            round=row.round,
            uscc_checksum_ok=check_uscc(row.uscc).checksum_ok,
            policy_version=policy.version,
            documents=documents,
        )
    )
    await uow.audit.record(
        "application.submit",
        "application",
        str(row.id),
        before={"status": current.value},
        after={"status": row.status, "round": row.round, "policy_version": policy.version},
    )
    return row


async def _evidence_of(
    uow: IntakeUnitOfWork, row: ApplicationRow, form: InformationForm, policy: Policy
) -> list[EvidenceDocument]:
    """The application's documents for the event; 422 while required evidence is missing
    (one entry per missing item, `loc` at the form item)."""
    rows = await uow.documents.of_application(row.id)
    missing = missing_evidence(form, policy, {(d.kind, d.refers_to) for d in rows})
    if missing:
        raise EvidenceMissing(details=missing)
    reused = await uow.documents.reused_elsewhere(
        row.year, row.uscc, sorted({d.sha256 for d in rows})
    )
    return [
        EvidenceDocument(
            id=str(d.id),
            kind=d.kind,
            refers_to=d.refers_to,
            media_type=d.media_type,
            size=d.size,
            sha256=d.sha256,
            readable=d.readable,
            reused_by=sorted(reused.get(d.sha256, [])),
        )
        for d in rows
    ]


async def withdraw(
    uow: IntakeUnitOfWork,
    principal: Principal,
    application_id: uuid.UUID,
    reason: str | None,
    now: datetime,
) -> ApplicationRow:
    """§5.2: withdraw before a decision; review closes the case of a submitted one."""
    row = await own_application(uow, principal, application_id)
    current = ApplicationStatus(row.status)
    if current not in WITHDRAWABLE:
        raise NotWithdrawable(row.status)
    uow.applications.record_status(row, ApplicationStatus.WITHDRAWN, now, reason)
    if row.round > 0:  # a never-submitted draft has no case to close
        await uow.outbox.add(
            ApplicationWithdrawn(application_id=str(row.id), year=row.year, uscc=row.uscc)
        )
    await uow.audit.record(
        "application.withdraw",
        "application",
        str(row.id),
        before={"status": current.value},
        after={"status": row.status, "reason": reason},
    )
    return row
