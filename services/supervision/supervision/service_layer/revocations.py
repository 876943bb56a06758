"""Revocation of registration numbers (撤销登记编号): proposals and the province's decision.

The decision is supervision's; applying it to the registry is review's (one writer per
aggregate): `cn.sme.revocation.decided.v1` → review revokes the number and emits
`cn.sme.registration.revoked.v1`, which marks the decision here as applied.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from shared.auth.principal import Principal, Role
from shared.db.unit_of_work import UnitOfWork
from shared.events.payloads.supervision import RevocationDecided
from supervision.adapters import repository
from supervision.adapters.tables import RegistrationRow, RevocationRow
from supervision.domain.credit import CreditKind, CreditSource
from supervision.domain.errors import (
    RevocationConflict,
    RevocationNotFound,
    UnknownRegistration,
)
from supervision.domain.revocation import RevocationOrigin, RevocationStatus, ensure_open
from supervision.service_layer import credit
from supervision.service_layer.event_values import event_ground

_OPEN_OR_DECIDED = (RevocationStatus.PROPOSED.value, RevocationStatus.DECIDED.value)


def _already_revoked(number: str) -> RevocationConflict:
    return RevocationConflict(
        f"登记编号 {number} 已决定撤销", f"registration {number} is already revoked"
    )


async def _registration_in_force(
    uow: UnitOfWork, number: str, principal: Principal
) -> RegistrationRow:
    reg = await repository.registration(uow.session, number, for_update=True)
    if reg is None or (principal.role is Role.AGENCY and reg.agency != principal.org):
        raise UnknownRegistration(number)
    if reg.status == "revoked":
        raise _already_revoked(number)
    return reg


async def decide(
    uow: UnitOfWork,
    principal: Principal,
    *,
    number: str,
    ground: str,
    basis: str,
    today: date,
) -> RevocationRow:
    """The province revokes directly. An open proposal on the same ground becomes this
    decision (its evidence kept); the number's other open proposals are superseded."""
    reg = await _registration_in_force(uow, number, principal)
    rows = await repository.revocations_of_number(uow.session, number, statuses=_OPEN_OR_DECIDED)
    if any(r.status == RevocationStatus.DECIDED.value for r in rows):
        raise _already_revoked(number)
    same = next((r for r in rows if r.ground == ground), None)
    if same is None:
        same = RevocationRow(
            id=uuid.uuid4(),
            number=reg.number,
            uscc=reg.uscc,
            year=reg.year,
            agency=reg.agency,
            ground=ground,
            basis=basis,
            status=RevocationStatus.PROPOSED.value,
            origin=RevocationOrigin.PROVINCE.value,
            evidence=[],
            proposed_by=principal.org,
        )
        uow.session.add(same)
        await uow.session.flush()
    same.basis = basis
    await _finalise(uow, same, rows, today)
    return same


async def propose(
    uow: UnitOfWork,
    principal: Principal,
    *,
    number: str,
    ground: str,
    basis: str,
) -> RevocationRow:
    """An agency proposes a revocation for an enterprise of its jurisdiction."""
    reg = await _registration_in_force(uow, number, principal)
    rows = await repository.revocations_of_number(uow.session, number, statuses=_OPEN_OR_DECIDED)
    if any(r.status == RevocationStatus.DECIDED.value for r in rows):
        raise _already_revoked(number)
    if any(r.ground == ground for r in rows):
        raise RevocationConflict(
            "该登记编号已有相同事由的撤销建议待决定",
            "a proposal on the same ground is already open for this number",
        )
    row = RevocationRow(
        id=uuid.uuid4(),
        number=reg.number,
        uscc=reg.uscc,
        year=reg.year,
        agency=reg.agency,
        ground=ground,
        basis=basis,
        status=RevocationStatus.PROPOSED.value,
        origin=RevocationOrigin.AGENCY.value,
        evidence=[{"type": "agency_proposal", "org": principal.org}],
        proposed_by=principal.org,
    )
    uow.session.add(row)
    await uow.session.flush()
    await uow.audit.record(
        "revocation.propose",
        "revocation",
        str(row.id),
        after={"number": number, "ground": ground, "status": row.status, "origin": row.origin},
    )
    return row


async def confirm(
    uow: UnitOfWork,
    principal: Principal,
    revocation_id: uuid.UUID,
    *,
    basis: str | None,
    today: date,
) -> RevocationRow:
    """The province confirms a proposal: it becomes the decision."""
    row = await repository.get_revocation(uow.session, revocation_id, for_update=True)
    if row is None:
        raise RevocationNotFound()
    ensure_open(RevocationStatus(row.status))
    await _registration_in_force(uow, row.number, principal)
    rows = await repository.revocations_of_number(
        uow.session, row.number, statuses=_OPEN_OR_DECIDED
    )
    if any(r.status == RevocationStatus.DECIDED.value for r in rows):
        raise _already_revoked(row.number)
    if basis:
        row.basis = basis
    await _finalise(uow, row, rows, today)
    return row


async def dismiss(
    uow: UnitOfWork, principal: Principal, revocation_id: uuid.UUID, *, reason: str
) -> RevocationRow:
    row = await repository.get_revocation(uow.session, revocation_id, for_update=True)
    if row is None:
        raise RevocationNotFound()
    before = row.status
    ensure_open(RevocationStatus(row.status))
    row.status = RevocationStatus.DISMISSED.value
    row.dismissed_reason = reason
    await uow.audit.record(
        "revocation.dismiss",
        "revocation",
        str(row.id),
        before={"status": before},
        after={"status": row.status, "reason": reason},
    )
    return row


async def open_proposal(
    uow: UnitOfWork,
    *,
    number: str,
    uscc: str,
    year: int,
    agency: str,
    ground: str,
    basis: str,
    evidence: dict[str, Any],
    origin: RevocationOrigin,
) -> RevocationRow | None:
    """A proposal from an event (joint punishment, failed spot check). New evidence for a
    number that already has an open proposal on that ground joins it; nothing is proposed
    for a number already revoked. Idempotent: the same evidence is never added twice, and
    evidence the province dismissed does not reopen a proposal when its event comes again."""
    reg = await repository.registration(uow.session, number, for_update=True)
    if reg is not None and reg.status == "revoked":
        return None
    rows = await repository.revocations_of_number(
        uow.session, number, statuses=(*_OPEN_OR_DECIDED, RevocationStatus.DISMISSED.value)
    )
    if any(r.status == RevocationStatus.DECIDED.value for r in rows):
        return None
    dismissed = RevocationStatus.DISMISSED.value
    if any(r.status == dismissed and r.ground == ground and evidence in r.evidence for r in rows):
        return None  # the province has weighed this evidence already
    same = next(
        (r for r in rows if r.status == RevocationStatus.PROPOSED.value and r.ground == ground),
        None,
    )
    if same is not None:
        if evidence not in same.evidence:
            same.evidence = [*same.evidence, evidence]  # a new list: JSONB change tracked
            await uow.audit.record(
                "revocation.evidence", "revocation", str(same.id), after={"evidence": evidence}
            )
        return same
    row = RevocationRow(
        id=uuid.uuid4(),
        number=number,
        uscc=uscc,
        year=year,
        agency=agency,
        ground=ground,
        basis=basis,
        status=RevocationStatus.PROPOSED.value,
        origin=origin.value,
        evidence=[evidence],
        proposed_by="system",
    )
    uow.session.add(row)
    await uow.session.flush()
    await uow.audit.record(
        "revocation.propose",
        "revocation",
        str(row.id),
        after={"number": number, "ground": ground, "status": row.status, "origin": row.origin},
    )
    return row


async def mark_applied(uow: UnitOfWork, number: str, revoked_on: date) -> None:
    """Review applied a decision to the registry (`registration.revoked`)."""
    rows = await repository.revocations_of_number(
        uow.session, number, statuses=[RevocationStatus.DECIDED.value]
    )
    for row in rows:
        if row.applied_on is None:
            row.applied_on = revoked_on


async def _finalise(
    uow: UnitOfWork, row: RevocationRow, others: Sequence[RevocationRow], today: date
) -> None:
    before = row.status
    row.status = RevocationStatus.DECIDED.value
    row.decided_on = today
    for other in others:
        if other.id != row.id and other.status == RevocationStatus.PROPOSED.value:
            other.status = RevocationStatus.SUPERSEDED.value
            other.superseded_by = row.id
    await uow.session.flush()
    await uow.outbox.add(
        RevocationDecided(
            number=row.number,
            uscc=row.uscc,
            year=row.year,
            ground=event_ground(row.ground),
            basis=row.basis,
            revocation_id=str(row.id),
            decided_on=today,
            agency=row.agency,
        )
    )
    await credit.record(
        uow,
        credit.CreditFact(
            uscc=row.uscc,
            kind=CreditKind.REVOCATION,
            source=CreditSource.SUPERVISION,
            reference=f"revocation:{row.id}",
            starts_on=today,
            detail=row.ground,
        ),
    )
    await uow.audit.record(
        "revocation.decide",
        "revocation",
        str(row.id),
        before={"status": before},
        after={
            "status": row.status,
            "number": row.number,
            "ground": row.ground,
            "decided_on": today,
        },
    )
