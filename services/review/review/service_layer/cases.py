"""Use cases of review cases: one function per command or event."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from review.adapters.tables import CaseHistoryRow, ReviewCaseRow
from review.domain.status import CaseStatus
from shared.codes.orgtree import org_tree
from shared.db.unit_of_work import UnitOfWork
from shared.events.envelope import CloudEvent
from shared.events.payloads.intake import ApplicationSubmitted
from shared.events.payloads.review import ReviewCaseOpened


async def on_application_submitted(
    uow: UnitOfWork, event: ApplicationSubmitted, envelope: CloudEvent
) -> None:
    """A submission becomes a review case at the agency the organisation tree routes it to."""
    form = event.form
    agency = org_tree().route(form.enterprise.region_code, form.enterprise.high_tech_zone)
    application_id = uuid.UUID(event.application_id)
    case = (
        await uow.session.execute(
            select(ReviewCaseRow)
            .where(ReviewCaseRow.application_id == application_id)
            .with_for_update()
        )
    ).scalar_one_or_none()
    if case is None:
        case = ReviewCaseRow(
            id=uuid.uuid4(),
            application_id=application_id,
            year=event.year,
            uscc=event.uscc,
            enterprise_name=form.enterprise.name,
            region_code=form.enterprise.region_code,
            agency=agency.code,
            status=CaseStatus.PENDING.value,
            round=event.round,
            form=form.model_dump(mode="json"),
            score=event.self_evaluation.model_dump(mode="json"),
            submitted_at=event.submitted_at,
        )
        uow.session.add(case)
        await uow.session.flush()
    elif event.round > case.round:  # resubmission after a return continues the same case
        case.round = event.round
        case.form = form.model_dump(mode="json")
        case.score = event.self_evaluation.model_dump(mode="json")
        case.status = CaseStatus.PENDING.value
        case.submitted_at = event.submitted_at
    else:
        return  # an older round delivered late
    uow.session.add(
        CaseHistoryRow(
            case_id=case.id,
            at=event.submitted_at,
            action="submitted",
            status=case.status,
            actor=f"enterprise:{event.uscc}",
        )
    )
    await uow.outbox.add(
        ReviewCaseOpened(
            case_id=str(case.id),
            application_id=event.application_id,
            year=event.year,
            uscc=event.uscc,
            agency=case.agency,
            opened_at=envelope.time,
            round=case.round,
        )
    )
    await uow.audit.record(
        "review_case.open",
        "review_case",
        str(case.id),
        after={"agency": case.agency, "round": case.round},
    )
