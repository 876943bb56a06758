"""Use cases of applications: one function per command or event."""

from __future__ import annotations

import uuid
from datetime import datetime

from intake.adapters import repository
from intake.adapters.tables import ApplicationRow
from intake.domain.self_evaluation import self_evaluate
from intake.domain.status import ApplicationStatus, ensure_can_move
from shared.auth.principal import Principal
from shared.calendar.clock import today_in_china
from shared.codes.orgtree import org_tree
from shared.codes.uscc import check_uscc
from shared.db.unit_of_work import UnitOfWork
from shared.errors import Forbidden, InvalidInput, NotFound
from shared.evaluation.form import InformationForm
from shared.events.envelope import CloudEvent
from shared.events.payloads.intake import ApplicationSubmitted
from shared.events.payloads.review import ReviewCaseOpened
from shared.policy.model import Policy


class ApplicationNotFound(NotFound):
    code = "application_not_found"
    message = "未找到该申请"
    message_en = "Application not found"


class NotEligible(InvalidInput):
    code = "not_eligible"
    message = "不符合评价条件，不能提交"
    message_en = "The enterprise does not meet the conditions; the form cannot be submitted"


async def create_draft(
    uow: UnitOfWork, principal: Principal, form: InformationForm, policy: Policy, now: datetime
) -> ApplicationRow:
    if form.enterprise.uscc != principal.uscc:
        raise Forbidden(
            message="只能为本企业填报", message_en="a form only for your own enterprise"
        )
    agency = org_tree().route(form.enterprise.region_code, form.enterprise.high_tech_zone)
    evaluation = self_evaluate(form, policy, today_in_china(now))
    row = ApplicationRow(
        id=uuid.uuid4(),
        year=form.year,
        uscc=form.enterprise.uscc,
        agency=agency.code,
        status=ApplicationStatus.DRAFT.value,
        form=form.model_dump(mode="json"),
        self_evaluation=evaluation.model_dump(mode="json"),
        round=0,
        created_at=now,
    )
    uow.session.add(row)
    repository.record_status(uow.session, row, ApplicationStatus.DRAFT, now)
    await uow.session.flush()
    await uow.audit.record(
        "application.create",
        "application",
        str(row.id),
        after={"status": row.status, "year": row.year},
    )
    return row


async def submit(
    uow: UnitOfWork, principal: Principal, application_id: uuid.UUID, policy: Policy, now: datetime
) -> ApplicationRow:
    row = await repository.get_application(uow.session, application_id, for_update=True)
    if row is None or row.uscc != principal.uscc:
        raise ApplicationNotFound()
    current = ApplicationStatus(row.status)
    ensure_can_move(current, ApplicationStatus.SUBMITTED)
    form = InformationForm.model_validate(row.form)
    evaluation = self_evaluate(form, policy, today_in_china(now))
    if not evaluation.eligible:
        raise NotEligible(
            details=[
                {
                    "loc": ["conditions", c.code],
                    "msg": c.message,
                    "msg_en": c.message_en,
                    "type": c.code,
                }
                for c in evaluation.conditions
                if not c.passed
            ]
        )
    row.self_evaluation = evaluation.model_dump(mode="json")
    row.round += 1
    repository.record_status(uow.session, row, ApplicationStatus.SUBMITTED, now)
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
        )
    )
    await uow.audit.record(
        "application.submit",
        "application",
        str(row.id),
        before={"status": current.value},
        after={"status": row.status},
    )
    return row


async def on_review_opened(uow: UnitOfWork, event: ReviewCaseOpened, envelope: CloudEvent) -> None:
    """review: a case was opened for the submission → `under_review`."""
    row = await repository.get_application(
        uow.session, uuid.UUID(event.application_id), for_update=True
    )
    if row is None or row.round != event.round:
        return  # an older round's event arriving late changes nothing
    current = ApplicationStatus(row.status)
    if current is ApplicationStatus.SUBMITTED:
        repository.record_status(uow.session, row, ApplicationStatus.UNDER_REVIEW, event.opened_at)
        await uow.audit.record(
            "application.under_review",
            "application",
            str(row.id),
            before={"status": current.value},
            after={"status": row.status},
        )
