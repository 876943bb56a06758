"""Joint punishment (联合惩戒, domain.md §7): a listing or a recorded incident for an
enterprise with a registration in force opens a revocation proposal for the province.

It is checked from both sides, because the two facts arrive on different topics in any
order: when a credit entry arrives (registrations in force that day), and when a
registration is issued (the enterprise's existing entries). An entry counts when its
interval touches the years that decide the registration's eligibility (§2.4: the previous
year and the evaluation year, `eligibility.credit_lookback_years` of the policy) — being
listed at any time in those years makes the enterprise ineligible, even if already removed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.platform.policies.store import PolicyStore
from supervision.adapters.tables import CreditEntryRow, RegistrationRow
from supervision.domain.credit import (
    JOINT_PUNISHMENT_GROUNDS,
    CreditKind,
    Interval,
    lookback_span,
)
from supervision.domain.revocation import RevocationOrigin
from supervision.service_layer import revocations
from supervision.service_layer.policy_lookup import policy_for
from supervision.service_layer.unit_of_work import SupervisionUnitOfWork

_BASIS = {
    "credit_listing": "联合惩戒：企业被列入信用名单（{detail}） / joint punishment: credit listing",
    "major_incident": "联合惩戒：企业发生重大事故（{detail}） / joint punishment: major incident",
    "research_misconduct": "联合惩戒：科研严重失信 / joint punishment: research misconduct",
}


def evidence_of(entry: CreditEntryRow) -> dict[str, Any]:
    return {
        "type": "credit_entry",
        "entry_id": str(entry.id),
        "kind": entry.kind,
        "source": entry.source,
        "detail": entry.detail,
        "reason": entry.reason,
        "starts_on": entry.starts_on.isoformat(),
    }


async def consider(
    uow: SupervisionUnitOfWork,
    registration: RegistrationRow,
    entry: CreditEntryRow,
    policies: PolicyStore,
) -> None:
    ground = JOINT_PUNISHMENT_GROUNDS.get(CreditKind(entry.kind))
    if ground is None or registration.status != "valid":
        return
    policy = await policy_for(policies, registration.year)
    first, last = lookback_span(registration.year, policy.eligibility.credit_lookback_years)
    if not Interval(entry.starts_on, entry.ends_on).overlaps(first, last):
        return
    await revocations.open_proposal(
        uow,
        number=registration.number,
        uscc=registration.uscc,
        year=registration.year,
        agency=registration.agency,
        ground=ground,
        basis=_BASIS[ground].format(detail=entry.detail or entry.kind),
        evidence=evidence_of(entry),
        origin=RevocationOrigin.JOINT_PUNISHMENT,
    )


async def after_credit_entry(
    uow: SupervisionUnitOfWork, entry: CreditEntryRow, today: date, policies: PolicyStore
) -> None:
    """A new listing or incident: every registration of the enterprise in force today."""
    if CreditKind(entry.kind) not in JOINT_PUNISHMENT_GROUNDS:
        return
    for registration in await uow.registry.valid_on(entry.uscc, today):
        await consider(uow, registration, entry, policies)


async def after_registration(
    uow: SupervisionUnitOfWork, registration: RegistrationRow, today: date, policies: PolicyStore
) -> None:
    """A new registration: the enterprise's listings and incidents known already."""
    if registration.valid_until is not None and registration.valid_until < today:
        return
    for entry in await uow.credit.punishable(registration.uscc):
        await consider(uow, registration, entry, policies)
