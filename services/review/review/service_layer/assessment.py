"""Assessing a case: the score recomputed with the shared engine and the warnings its facts
raise — for a new submission, a resubmission, or a new credit record."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from review.adapters import cross_checks, repository, warnings_store
from review.adapters.tables import ReviewCaseRow
from review.domain.warnings import (
    ContactUsage,
    RaisedWarning,
    WarningContext,
    evaluate_warnings,
    ip_claims,
)
from review.domain.warnings import contacts as contact_rule
from shared.calendar.clock import today_in_china
from shared.codes.uscc import check_uscc
from shared.evaluation.engine import evaluate
from shared.evaluation.facts import KnownFacts
from shared.evaluation.form import InformationForm
from shared.evaluation.result import SelfEvaluation
from shared.events.payloads.intake import EvidenceDocument
from shared.policy.model import Policy
from shared.policy.warning_rules import WarningRules


def claims_in(form: InformationForm) -> tuple[list[str], list[cross_checks.Contact]]:
    """The IP numbers and contacts a form claims, normalised and without repeats."""
    numbers = sorted({ip_claims.normalise_ip_number(ip.number) for ip in form.ip})
    contact = form.enterprise.contact
    contacts = [("phone", contact_rule.normalise_contact("phone", contact.phone))]
    if contact.email:
        contacts.append(("email", contact_rule.normalise_contact("email", contact.email)))
    return numbers, [(k, v) for k, v in contacts if v]


async def assess(
    session: AsyncSession, case: ReviewCaseRow, policy: Policy, evaluated_on: date
) -> tuple[SelfEvaluation, list[RaisedWarning]]:
    """Recompute the score and evaluate every warning rule for the case as it stands."""
    form = InformationForm.model_validate(case.form)
    claimed = SelfEvaluation.model_validate(case.self_evaluation)
    credit = await repository.credit_entries(session, case.uscc)
    facts = KnownFacts(credit_records=tuple(e.as_record() for e in credit if e.bars))
    recomputed = evaluate(form, policy, evaluated_on, facts)

    numbers, contacts = claims_in(form)
    claimed_by = await cross_checks.claimants(session, case.year, numbers)
    elsewhere = {
        n: tuple(sorted({u for _, u in claimed_by.get(n, []) if u != case.uscc})) for n in numbers
    }
    counts = await cross_checks.contact_counts(session, case.year, contacts)
    usage = tuple(ContactUsage(k, v, max(counts.get((k, v), 0), 1)) for k, v in contacts)

    previous_document = await repository.previous_year_form(session, case.uscc, case.year)
    previous = None
    if previous_document is not None:
        try:
            previous = InformationForm.model_validate(previous_document)
        except ValidationError:
            previous = None  # a form of an older shape: nothing comparable
    context = WarningContext(
        form=form,
        recomputed=recomputed,
        claimed=claimed,
        uscc_checksum_ok=check_uscc(case.uscc).checksum_ok,
        credit_lookback_years=policy.eligibility.credit_lookback_years,
        credit_entries=credit,
        ip_claimed_elsewhere=elsewhere,
        contact_usage=usage,
        previous_form=previous,
        documents=tuple(EvidenceDocument.model_validate(d) for d in case.documents),
    )
    return recomputed, evaluate_warnings(context, policy.warnings)


async def reassess(
    session: AsyncSession, case: ReviewCaseRow, policy: Policy, now: datetime
) -> None:
    """Recompute score and warnings of a stored case on its own evaluation date."""
    evaluated_on = SelfEvaluation.model_validate(case.score).evaluated_on
    if evaluated_on is None:
        evaluated_on = policy.evaluation_date_for(today_in_china(now))
    recomputed, raised = await assess(session, case, policy, evaluated_on)
    case.score = recomputed.model_dump(mode="json")
    await warnings_store.sync_case_warnings(session, case.id, raised, now)


async def propagate_cross_warnings(
    session: AsyncSession,
    *,
    year: int,
    rules: WarningRules,
    numbers: set[str],
    contacts: set[cross_checks.Contact],
    source_case: uuid.UUID,
    now: datetime,
) -> None:
    """A case's claims changed: raise or clear the cross-enterprise warnings on the OTHER
    cases sharing those IP numbers or contacts (its own are synced by `assess`)."""
    claimed_by = await cross_checks.claimants(session, year, numbers)
    to_raise: list[tuple[uuid.UUID, RaisedWarning]] = []
    for number, holders in claimed_by.items():
        to_clear = []
        for case_id, uscc in holders:
            if case_id == source_case:
                continue
            others = sorted({u for _, u in holders if u != uscc})
            if others and rules.duplicate_ip.enabled:
                to_raise.append(
                    (case_id, ip_claims.warning_for(rules.duplicate_ip, number, others))
                )
            else:
                to_clear.append(case_id)
        await warnings_store.clear_on_cases(session, to_clear, "duplicate_ip", number, now)
    await warnings_store.upsert_on_cases(session, to_raise, now)

    rule = rules.shared_contact
    counts = await cross_checks.contact_counts(session, year, contacts)
    for (kind, value), enterprises in sorted(counts.items()):
        subject = contact_rule.subject_of(kind, value)
        if contact_rule.fires(rule, kind, enterprises):
            warning = contact_rule.warning_for(rule, kind, value, enterprises)
            await warnings_store.raise_for_contact(
                session, year, kind, value, warning, source_case, now
            )
        else:
            await warnings_store.clear_for_contact(
                session, year, kind, value, "shared_contact", subject, source_case, now
            )
