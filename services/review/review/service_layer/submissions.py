"""Opening review cases from intake's `application.submitted` events, a run at a time.

A submission opens a case at the routed agency; a resubmission after `return` continues the
same case (same id, next round). The score is recomputed here and the warnings evaluated,
also on the other enterprises' cases it concerns.

The consumer hands over a run of consecutive submissions (one partition, offset order; a
replay or a poison search hands over one). Each chunk with no enterprise twice is handled
together: its locks, cases, claims, the facts the warning rules read, the warnings, history,
events and audit go out in about twenty statements, however many cases it holds. The end
state is the one handling them one by one would leave: the warning rules read the claims
of the whole chunk, as the last of them would; the chunk's cases are assessed on those, and
only the other cases get propagated warnings.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from review.adapters import cross_checks, locks, repository, warnings_store
from review.adapters.tables import ReviewCaseRow
from review.adapters.unit_of_work import SqlReviewUnitOfWork
from review.domain import onsite
from review.domain.deadlines import review_due_on
from review.domain.routing import routed_agency
from review.domain.status import REOPENABLE, CaseStatus, move_case
from review.service_layer.assessment import (
    Submitted,
    assess_with,
    claims_in,
    known_about,
    propagate_cross_warnings,
)
from shared.kernel.calendar.clock import today_in_china
from shared.kernel.evaluation.onsite import onsite_triggers
from shared.kernel.events.payloads.intake import ApplicationSubmitted
from shared.kernel.events.payloads.review import ReviewCaseOpened
from shared.kernel.policy.model import Policy
from shared.platform.db.audit import AuditEntry
from shared.platform.messaging.handler_registry import Received, chunks_without_repeats
from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.policies.store import PolicyStore


@dataclass
class _Opening:
    """One submission going ahead: its case (new or continued) and what the steps need."""

    item: Received[ApplicationSubmitted]
    case: ReviewCaseRow
    action: str  # submitted | resubmitted
    before: dict[str, Any] | None
    policy: Policy
    evaluated_on: date
    old_claims: tuple[list[str], list[cross_checks.Contact]]


async def on_applications_submitted(
    uow: UnitOfWork, received: Sequence[Received[ApplicationSubmitted]], policies: PolicyStore
) -> None:
    for chunk in chunks_without_repeats(received, lambda e: e.uscc):
        await _open_cases(uow, chunk, policies)
        # The next chunk reads its rows afresh (the set-based warnings may have changed
        # rows loaded here).
        await uow.session.flush()
        uow.session.expunge_all()


async def _open_cases(
    uow: UnitOfWork, chunk: Sequence[Received[ApplicationSubmitted]], policies: PolicyStore
) -> None:
    session = uow.session
    await locks.lock(session, [locks.enterprise_key(i.payload.uscc) for i in chunk])
    existing = await repository.cases_of_applications(
        session, [uuid.UUID(i.payload.application_id) for i in chunk]
    )
    going_ahead = []
    for item in chunk:
        event = item.payload
        case = existing.get(uuid.UUID(event.application_id))
        if case is not None and not (
            event.round > case.round and CaseStatus(case.status) in REOPENABLE
        ):
            continue  # a redelivered or older round, or a case already decided for good
        going_ahead.append((item, case))
    if not going_ahead:
        return

    first_years = await repository.first_years(session, {i.payload.uscc for i, _ in going_ahead})
    old_claims = await cross_checks.claims_of_cases(
        session, [case.id for _, case in going_ahead if case is not None]
    )
    calendar = await policies.calendar()
    openings = []
    for item, case in going_ahead:
        event = item.payload
        policy = await policies.get(event.year)
        first_year = first_years.get(event.uscc)
        first_time = first_year is None or first_year >= event.year
        submitted_on = today_in_china(event.submitted_at)
        due = review_due_on(submitted_on, policy.review, calendar)
        triggers = onsite_triggers(event.form, policy, first_time)
        before = None if case is None else {"status": case.status, "round": case.round}
        previous_claims = old_claims.get(case.id, ([], [])) if case is not None else ([], [])
        if case is None:
            case = _new_case(item, policy, first_time, triggers, due.value, due.provisional)
            session.add(case)
            action = "submitted"
        else:
            _continue_case(case, item, policy, triggers, due.value, due.provisional)
            action = "resubmitted"
        assessed = onsite.status_for(case.onsite_triggers, case.onsite_result)
        case.status = move_case(CaseStatus(case.status), assessed).value
        openings.append(
            _Opening(
                item,
                case,
                action,
                before,
                policy,
                policy.evaluation_date_for(submitted_on),
                previous_claims,
            )
        )
    await session.flush()

    # Cross-enterprise claims: lock the values (old and new) so that submissions in flight
    # in other transactions still see each other, then replace these cases' claims.
    new_claims = {o.case.id: claims_in(o.item.payload.form) for o in openings}
    keys = []
    for o in openings:
        numbers = {*o.old_claims[0], *new_claims[o.case.id][0]}
        contacts = {*o.old_claims[1], *new_claims[o.case.id][1]}
        keys += [locks.ip_key(o.case.year, n) for n in numbers]
        keys += [locks.contact_key(o.case.year, k, v) for k, v in contacts]
    await locks.lock(session, keys)
    await cross_checks.replace_claims_of_cases(
        session, [(o.case, *new_claims[o.case.id]) for o in openings]
    )

    cases = [o.case for o in openings]
    submitted = {
        o.case.id: Submitted(
            o.item.payload.form, o.item.payload.self_evaluation, tuple(o.item.payload.documents)
        )
        for o in openings
    }
    known = await known_about(SqlReviewUnitOfWork(uow), cases, submitted)
    stored = await repository.warnings_of(session, [c.id for c in cases])
    raised_codes = {}
    for o in openings:
        recomputed, raised = assess_with(
            o.case, o.policy, o.evaluated_on, known, submitted[o.case.id]
        )
        o.case.score = recomputed.model_dump(mode="json")
        warnings_store.apply_case_warnings(
            session, o.case.id, stored[o.case.id], raised, o.item.envelope.time
        )
        raised_codes[o.case.id] = sorted({w.code for w in raised})
    await session.flush()

    for year in sorted({o.case.year for o in openings}):
        of_year = [o for o in openings if o.case.year == year]
        await propagate_cross_warnings(
            SqlReviewUnitOfWork(uow),
            year=year,
            rules=of_year[-1].policy.warnings,
            numbers={n for o in of_year for n in (*o.old_claims[0], *new_claims[o.case.id][0])},
            contacts={c for o in of_year for c in (*o.old_claims[1], *new_claims[o.case.id][1])},
            sources={o.case.id for o in openings},
            now=of_year[-1].item.envelope.time,
        )

    for o in openings:
        event = o.item.payload
        repository.record_history(
            session, o.case, o.action, event.submitted_at, actor=f"enterprise:{event.uscc}"
        )
    await uow.outbox.add_many(
        [
            ReviewCaseOpened(
                case_id=str(o.case.id),
                application_id=o.item.payload.application_id,
                year=o.item.payload.year,
                uscc=o.item.payload.uscc,
                agency=o.case.agency,
                opened_at=o.item.envelope.time,
                round=o.case.round,
            )
            for o in openings
        ]
    )
    await uow.audit.record_many(
        [
            AuditEntry(
                f"review_case.{o.action}",
                "review_case",
                str(o.case.id),
                before=o.before,
                after={
                    "status": o.case.status,
                    "agency": o.case.agency,
                    "round": o.case.round,
                    "warnings": raised_codes[o.case.id],
                    "onsite_triggers": o.case.onsite_triggers,
                },
            )
            for o in openings
        ]
    )


def _new_case(
    item: Received[ApplicationSubmitted],
    policy: Policy,
    first_time: bool,
    triggers: list[str],
    due_on: date,
    provisional: bool,
) -> ReviewCaseRow:
    event, envelope = item.payload, item.envelope
    form = event.form
    claimed = event.self_evaluation.model_dump(mode="json")
    return ReviewCaseRow(
        id=uuid.uuid4(),
        application_id=uuid.UUID(event.application_id),
        year=event.year,
        uscc=event.uscc,
        enterprise_name=form.enterprise.name,
        region_code=form.enterprise.region_code,
        industry_code=form.enterprise.industry_code,
        agency=routed_agency(form),
        status=CaseStatus.PENDING.value,
        round=event.round,
        form=form.model_dump(mode="json"),
        score=claimed,
        self_evaluation=claimed,
        policy_version=policy.version,
        first_time=first_time,
        submitted_at=event.submitted_at,
        due_on=due_on,
        due_on_provisional=provisional,
        onsite_triggers=triggers,
        documents=[d.model_dump(mode="json") for d in event.documents],
        created_at=envelope.time,
        updated_at=envelope.time,
    )


def _continue_case(
    case: ReviewCaseRow,
    item: Received[ApplicationSubmitted],
    policy: Policy,
    triggers: list[str],
    due_on: date,
    provisional: bool,
) -> None:
    event, envelope = item.payload, item.envelope
    form = event.form
    case.round = event.round
    case.form = form.model_dump(mode="json")
    case.self_evaluation = event.self_evaluation.model_dump(mode="json")
    case.enterprise_name = form.enterprise.name
    case.region_code = form.enterprise.region_code
    case.industry_code = form.enterprise.industry_code
    # A corrected region or high-tech zone moves the case; intake routes the returned
    # application anew on every edit too, so both show it to the same agency.
    case.agency = routed_agency(form)
    case.policy_version = policy.version
    case.submitted_at = event.submitted_at
    case.due_on, case.due_on_provisional = due_on, provisional
    case.onsite_triggers = triggers
    case.documents = [d.model_dump(mode="json") for d in event.documents]
    case.onsite_result = onsite.result_after_resubmission(triggers, case.onsite_result)
    case.decision = case.decision_reason = None
    case.decided_at = None
    case.decided_by = None
    case.updated_at = envelope.time
