"""Assessing a case: the score recomputed with the shared engine and the warnings its facts
raise — for a new submission, a resubmission, or a new credit record."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from review.adapters import cross_checks
from review.adapters.tables import ReviewCaseRow
from review.domain.warnings import (
    ContactUsage,
    CreditEntry,
    RaisedWarning,
    WarningContext,
    evaluate_warnings,
    ip_claims,
)
from review.domain.warnings import contacts as contact_rule
from review.service_layer.unit_of_work import ReviewUnitOfWork
from shared.kernel.calendar.clock import today_in_china
from shared.kernel.codes.uscc import check_uscc
from shared.kernel.evaluation.engine import evaluate
from shared.kernel.evaluation.facts import KnownFacts
from shared.kernel.evaluation.form import InformationForm
from shared.kernel.evaluation.result import SelfEvaluation
from shared.kernel.events.payloads.intake import EvidenceDocument
from shared.kernel.policy.model import Policy
from shared.kernel.policy.warning_rules import WarningRules


def claims_in(form: InformationForm) -> tuple[list[str], list[cross_checks.Contact]]:
    """The IP numbers and contacts a form claims, normalised and without repeats."""
    numbers = sorted({ip_claims.normalise_ip_number(ip.number) for ip in form.ip})
    contact = form.enterprise.contact
    contacts = [("phone", contact_rule.normalise_contact("phone", contact.phone))]
    if contact.email:
        contacts.append(("email", contact_rule.normalise_contact("email", contact.email)))
    return numbers, [(k, v) for k, v in contacts if v]


@dataclass(frozen=True)
class KnownAbout:
    """What the warning rules need from the database about a set of cases, read at once
    (a batch of submissions reads it in five queries, not five per case)."""

    credit: dict[str, tuple[CreditEntry, ...]]  # uscc → its credit entries
    claimants: dict[tuple[int, str], list[tuple[uuid.UUID, str]]]  # (year, IP) → holders
    contact_counts: dict[tuple[int, cross_checks.Contact], int]  # (year, contact) → firms
    previous_forms: dict[tuple[str, int], dict[str, Any]]  # (uscc, year) → that year's form


@dataclass(frozen=True)
class Submitted:
    """A case's form, claimed self-evaluation and evidence as the submission event carried
    them, already validated: a case opened from an event is assessed on these instead of
    validating its stored JSON again (the form's validation is most of a case's CPU)."""

    form: InformationForm
    claimed: SelfEvaluation
    documents: tuple[EvidenceDocument, ...]


async def known_about(
    uow: ReviewUnitOfWork,
    cases: Sequence[ReviewCaseRow],
    submitted: Mapping[uuid.UUID, Submitted] | None = None,
) -> KnownAbout:
    """What the warning rules need about `cases`; `submitted`: the models of those of them
    opened from an event in hand (by case id)."""
    claims = {case.id: claims_in(_form(case, submitted)) for case in cases}
    claimants: dict[tuple[int, str], list[tuple[uuid.UUID, str]]] = {}
    counts: dict[tuple[int, cross_checks.Contact], int] = {}
    for year in sorted({case.year for case in cases}):
        of_year = [claims[c.id] for c in cases if c.year == year]
        found = await uow.claims.claimants(year, {n for ns, _ in of_year for n in ns})
        claimants.update({(year, n): holders for n, holders in found.items()})
        contacts = {k for _, ks in of_year for k in ks}
        used = await uow.claims.contact_counts(year, contacts)
        counts.update({(year, k): count for k, count in used.items()})
    return KnownAbout(
        credit=await uow.credit.entries_of({case.uscc for case in cases}),
        claimants=claimants,
        contact_counts=counts,
        previous_forms=await uow.cases.previous_forms(
            {(case.uscc, case.year - 1) for case in cases}
        ),
    )


async def assess(
    uow: ReviewUnitOfWork, case: ReviewCaseRow, policy: Policy, evaluated_on: date
) -> tuple[SelfEvaluation, list[RaisedWarning]]:
    """Recompute the score and evaluate every warning rule for the case as it stands."""
    return assess_with(case, policy, evaluated_on, await known_about(uow, [case]))


def _form(case: ReviewCaseRow, submitted: Mapping[uuid.UUID, Submitted] | None) -> InformationForm:
    given = None if submitted is None else submitted.get(case.id)
    return given.form if given is not None else InformationForm.model_validate(case.form)


def assess_with(
    case: ReviewCaseRow,
    policy: Policy,
    evaluated_on: date,
    known: KnownAbout,
    submitted: Submitted | None = None,
) -> tuple[SelfEvaluation, list[RaisedWarning]]:
    """`assess` on what was read beforehand (`known_about` the case, among others), and on
    the submission's own models when the case was just opened from it."""
    if submitted is not None:
        form, claimed, documents = submitted.form, submitted.claimed, submitted.documents
    else:
        form = InformationForm.model_validate(case.form)
        claimed = SelfEvaluation.model_validate(case.self_evaluation)
        documents = tuple(EvidenceDocument.model_validate(d) for d in case.documents)
    credit = known.credit.get(case.uscc, ())
    facts = KnownFacts(credit_records=tuple(e.as_record() for e in credit if e.bars))
    recomputed = evaluate(form, policy, evaluated_on, facts)

    numbers, contacts = claims_in(form)
    elsewhere = {
        n: tuple(sorted({u for _, u in known.claimants.get((case.year, n), []) if u != case.uscc}))
        for n in numbers
    }
    usage = tuple(
        ContactUsage(k, v, max(known.contact_counts.get((case.year, (k, v)), 0), 1))
        for k, v in contacts
    )

    previous_document = known.previous_forms.get((case.uscc, case.year - 1))
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
        documents=documents,
    )
    return recomputed, evaluate_warnings(context, policy.warnings)


async def reassess(
    uow: ReviewUnitOfWork, case: ReviewCaseRow, policy: Policy, now: datetime
) -> None:
    """Recompute score and warnings of a stored case on its own evaluation date."""
    evaluated_on = SelfEvaluation.model_validate(case.score).evaluated_on
    if evaluated_on is None:
        evaluated_on = policy.evaluation_date_for(today_in_china(now))
    recomputed, raised = await assess(uow, case, policy, evaluated_on)
    case.score = recomputed.model_dump(mode="json")
    await uow.warnings.sync(case.id, raised, now)


async def propagate_cross_warnings(
    uow: ReviewUnitOfWork,
    *,
    year: int,
    rules: WarningRules,
    numbers: set[str],
    contacts: set[cross_checks.Contact],
    sources: Collection[uuid.UUID],
    now: datetime,
) -> None:
    """Cases' claims changed: raise or clear the cross-enterprise warnings on the OTHER
    cases sharing those IP numbers or contacts (the `sources`' own are synced by `assess`).
    Four reads and two writes, however many cases and claims."""
    to_raise: list[tuple[uuid.UUID, RaisedWarning]] = []
    to_clear: list[tuple[uuid.UUID, str, str]] = []
    claimed_by = await uow.claims.claimants(year, numbers)
    for number, holders in claimed_by.items():
        for case_id, uscc in holders:
            if case_id in sources:
                continue
            others = sorted({u for _, u in holders if u != uscc})
            if others and rules.duplicate_ip.enabled:
                to_raise.append(
                    (case_id, ip_claims.warning_for(rules.duplicate_ip, number, others))
                )
            else:
                to_clear.append((case_id, "duplicate_ip", number))

    rule = rules.shared_contact
    counts = await uow.claims.contact_counts(year, contacts)
    holders_of = await uow.claims.contact_holders(year, counts)
    for (kind, value), enterprises in sorted(counts.items()):
        others_using = [c for c in holders_of[(kind, value)] if c not in sources]
        if contact_rule.fires(rule, kind, enterprises):
            warning = contact_rule.warning_for(rule, kind, value, enterprises)
            to_raise.extend((case_id, warning) for case_id in others_using)
        else:
            subject = contact_rule.subject_of(kind, value)
            to_clear.extend((case_id, "shared_contact", subject) for case_id in others_using)
    await uow.warnings.clear_many(to_clear, now)
    await uow.warnings.upsert_on_cases(to_raise, now)
