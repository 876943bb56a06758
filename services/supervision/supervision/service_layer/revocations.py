"""Revocation of registration numbers (撤销登记编号): proposals, the notice and statement
procedure (告知—陈述申辩, contract § Round 2) and the province's decision.

The decision is supervision's; applying it to the registry is review's (one writer per
aggregate): `cn.sme.revocation.decided.v1` → review revokes the number and emits
`cn.sme.registration.revoked.v1`, which marks the decision here as applied.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from shared.kernel.calendar import WorkingDayCalendar
from shared.kernel.errors import InvalidInput, field_error
from shared.kernel.events.payloads.supervision import RevocationDecided, RevocationNotified
from shared.platform.auth.principal import Principal
from supervision.adapters.tables import RegistrationRow, RevocationRow
from supervision.domain.credit import CreditKind, CreditSource
from supervision.domain.errors import (
    RevocationConflict,
    RevocationNotFound,
    UnknownRegistration,
)
from supervision.domain.revocation import (
    IN_PROCEDURE,
    SKIPPABLE_GROUNDS,
    RevocationOrigin,
    RevocationStatus,
    ensure_open,
    may_decide,
    may_state,
)
from supervision.service_layer import credit
from supervision.service_layer.event_values import event_ground
from supervision.service_layer.unit_of_work import SupervisionUnitOfWork
from supervision.views import REGISTRATIONS

_PROPOSED = RevocationStatus.PROPOSED.value
_REVOKED = RevocationStatus.REVOKED.value
_PROCEDURE = tuple(s.value for s in IN_PROCEDURE)
# Everything that still counts for a number: open, under way, or revoked.
_LIVE = (_PROPOSED, *_PROCEDURE, _REVOKED)


def _already_revoked(number: str) -> RevocationConflict:
    return RevocationConflict(
        f"登记编号 {number} 已决定撤销", f"registration {number} is already revoked"
    )


def _procedure_under_way(number: str) -> RevocationConflict:
    return RevocationConflict(
        f"登记编号 {number} 已有撤销程序在进行中（已告知）",
        f"a revocation procedure is already under way for registration {number}",
    )


async def _registration_in_force(
    uow: SupervisionUnitOfWork, number: str, principal: Principal
) -> RegistrationRow:
    reg = REGISTRATIONS.require(
        principal,
        await uow.registry.registration(number, for_update=True),
        UnknownRegistration(number),
    )
    if reg.status == "revoked":
        raise _already_revoked(number)
    return reg


@dataclass(frozen=True, slots=True)
class Notice:
    """What opening the procedure needs: today, and the statement period on the calendar."""

    today: date
    statement_working_days: int
    calendar: WorkingDayCalendar


def _check_skip(ground: str, skip_statement: bool) -> None:
    if skip_statement and ground not in SKIPPABLE_GROUNDS:
        zh = "仅因信用名单或重大事故（其他机关已作出最终决定）撤销的，方可不经陈述申辩"
        en = (
            "skip_statement is allowed only for grounds established by another authority's "
            "final decision (credit_listing, major_incident)"
        )
        raise InvalidInput(
            zh,
            en,
            details=[field_error(["body", "skip_statement"], zh, en, "skip")],
        )


async def start(
    uow: SupervisionUnitOfWork,
    principal: Principal,
    *,
    number: str,
    ground: str,
    basis: str,
    skip_statement: bool,
    notice: Notice,
) -> RevocationRow:
    """The province opens the procedure (or takes up the open proposal on the same ground,
    its evidence kept): the enterprise is notified, or — for a ground another authority
    has decided — revoked without a statement."""
    _check_skip(ground, skip_statement)
    reg = await _registration_in_force(uow, number, principal)
    rows = await uow.revocations.of_number(number, statuses=_LIVE)
    _ensure_none_under_way(number, rows)
    same = next((r for r in rows if r.status == _PROPOSED and r.ground == ground), None)
    if same is None:
        same = RevocationRow(
            id=uuid.uuid4(),
            number=reg.number,
            uscc=reg.uscc,
            year=reg.year,
            agency=reg.agency,
            ground=ground,
            basis=basis,
            status=_PROPOSED,
            origin=RevocationOrigin.PROVINCE.value,
            evidence=[],
            proposed_by=principal.org,
        )
        await uow.revocations.add(same)
    same.basis = basis
    await _open(uow, same, rows, skip_statement, notice)
    return same


async def take_up(
    uow: SupervisionUnitOfWork,
    principal: Principal,
    revocation_id: uuid.UUID,
    *,
    basis: str | None,
    skip_statement: bool,
    notice: Notice,
) -> RevocationRow:
    """The province takes up a proposal (agency, joint punishment, spot check)."""
    row = await uow.revocations.get(revocation_id, for_update=True)
    if row is None:
        raise RevocationNotFound()
    ensure_open(RevocationStatus(row.status))
    _check_skip(row.ground, skip_statement)
    await _registration_in_force(uow, row.number, principal)
    rows = await uow.revocations.of_number(row.number, statuses=_LIVE)
    _ensure_none_under_way(row.number, rows)
    if basis:
        row.basis = basis
    await _open(uow, row, rows, skip_statement, notice)
    return row


def _ensure_none_under_way(number: str, rows: Sequence[RevocationRow]) -> None:
    if any(r.status == _REVOKED for r in rows):
        raise _already_revoked(number)
    if any(r.status in _PROCEDURE for r in rows):
        raise _procedure_under_way(number)


async def _open(
    uow: SupervisionUnitOfWork,
    row: RevocationRow,
    others: Sequence[RevocationRow],
    skip_statement: bool,
    notice: Notice,
) -> None:
    row.skip_statement = skip_statement
    if skip_statement:
        await _finalise(uow, row, others, notice.today)
        return
    before = row.status
    due = notice.calendar.add_working_days(notice.today, notice.statement_working_days).value
    await uow.revocations.move(row, RevocationStatus.NOTIFIED)
    row.notified_on = notice.today
    row.statement_due_on = due
    await uow.outbox.add(
        RevocationNotified(
            revocation_id=str(row.id),
            number=row.number,
            uscc=row.uscc,
            year=row.year,
            ground=event_ground(row.ground),
            basis=row.basis,
            notified_on=notice.today,
            statement_due_on=due,
            agency=row.agency,
        )
    )
    await uow.audit.record(
        "revocation.notify",
        "revocation",
        str(row.id),
        before={"status": before},
        after={"status": row.status, "notified_on": notice.today, "statement_due_on": due},
    )


async def propose(
    uow: SupervisionUnitOfWork,
    principal: Principal,
    *,
    number: str,
    ground: str,
    basis: str,
) -> RevocationRow:
    """An agency proposes a revocation for an enterprise of its jurisdiction."""
    reg = await _registration_in_force(uow, number, principal)
    rows = await uow.revocations.of_number(number, statuses=_LIVE)
    if any(r.status == _REVOKED for r in rows):
        raise _already_revoked(number)
    if any(r.ground == ground for r in rows):
        raise RevocationConflict(
            "该登记编号已有相同事由的撤销建议或程序",
            "a proposal or procedure on the same ground is already open for this number",
        )
    row = RevocationRow(
        id=uuid.uuid4(),
        number=reg.number,
        uscc=reg.uscc,
        year=reg.year,
        agency=reg.agency,
        ground=ground,
        basis=basis,
        status=_PROPOSED,
        origin=RevocationOrigin.AGENCY.value,
        evidence=[{"type": "agency_proposal", "org": principal.org}],
        proposed_by=principal.org,
    )
    await uow.revocations.add(row)
    await uow.audit.record(
        "revocation.propose",
        "revocation",
        str(row.id),
        after={"number": number, "ground": ground, "status": row.status, "origin": row.origin},
    )
    return row


async def state(
    uow: SupervisionUnitOfWork,
    principal: Principal,
    revocation_id: uuid.UUID,
    *,
    text: str,
    today: date,
    now: datetime,
) -> RevocationRow:
    """The enterprise states its case (陈述申辩), once, until the due date."""
    row = await uow.revocations.get(revocation_id, for_update=True)
    if row is None or row.uscc != principal.uscc or row.notified_on is None:
        raise RevocationNotFound()
    if not may_state(RevocationStatus(row.status), today, row.statement_due_on):
        raise RevocationConflict(
            f"不能再提交陈述申辩（状态 {row.status}，期限 {row.statement_due_on}）",
            f"no statement can be made any more (status {row.status}, due {row.statement_due_on})",
        )
    await uow.revocations.move(row, RevocationStatus.STATED)
    row.statement = text
    row.stated_at = now
    await uow.audit.record(
        "revocation.statement",
        "revocation",
        str(row.id),
        before={"status": RevocationStatus.NOTIFIED.value},
        after={"status": row.status, "stated_at": now},
    )
    return row


async def decide(
    uow: SupervisionUnitOfWork,
    principal: Principal,
    revocation_id: uuid.UUID,
    *,
    decision: str,
    reason: str,
    today: date,
) -> RevocationRow:
    """The province decides after the statement or after the due date (409 before)."""
    row = await uow.revocations.get(revocation_id, for_update=True)
    if row is None:
        raise RevocationNotFound()
    status = RevocationStatus(row.status)
    if not may_decide(status, today, row.statement_due_on):
        raise RevocationConflict(
            f"须待企业陈述申辩或期限（{row.statement_due_on}）届满后方可决定（状态 {row.status}）",
            f"decide after the statement or after its due date {row.statement_due_on} "
            f"(status {row.status})",
        )
    row.decision_reason = reason
    if decision == "dismiss":
        await uow.revocations.move(row, RevocationStatus.DISMISSED)
        row.dismissed_reason = reason
        await uow.audit.record(
            "revocation.dismiss",
            "revocation",
            str(row.id),
            before={"status": status.value},
            after={"status": row.status, "reason": reason},
        )
        return row
    await _registration_in_force(uow, row.number, principal)
    rows = await uow.revocations.of_number(row.number, statuses=_LIVE)
    await _finalise(uow, row, rows, today)
    return row


async def dismiss(
    uow: SupervisionUnitOfWork, principal: Principal, revocation_id: uuid.UUID, *, reason: str
) -> RevocationRow:
    """A proposal the province does not take up (before any notice)."""
    row = await uow.revocations.get(revocation_id, for_update=True)
    if row is None:
        raise RevocationNotFound()
    before = row.status
    ensure_open(RevocationStatus(row.status))
    await uow.revocations.move(row, RevocationStatus.DISMISSED)
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
    uow: SupervisionUnitOfWork,
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
    reg = await uow.registry.registration(number, for_update=True)
    if reg is not None and reg.status == "revoked":
        return None
    rows = await uow.revocations.of_number(
        number, statuses=(*_LIVE, RevocationStatus.DISMISSED.value)
    )
    if any(r.status == _REVOKED for r in rows):
        return None
    dismissed = RevocationStatus.DISMISSED.value
    if any(r.status == dismissed and r.ground == ground and evidence in r.evidence for r in rows):
        return None  # the province has weighed this evidence already
    # New evidence joins the proposal, or the procedure under way, on the same ground.
    same = next(
        (r for r in rows if r.status in (_PROPOSED, *_PROCEDURE) and r.ground == ground),
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
    await uow.revocations.add(row)
    await uow.audit.record(
        "revocation.propose",
        "revocation",
        str(row.id),
        after={"number": number, "ground": ground, "status": row.status, "origin": row.origin},
    )
    return row


async def mark_applied(uow: SupervisionUnitOfWork, number: str, revoked_on: date) -> None:
    """Review applied a decision to the registry (`registration.revoked`)."""
    rows = await uow.revocations.of_number(number, statuses=[_REVOKED])
    for row in rows:
        if row.applied_on is None:
            row.applied_on = revoked_on


async def _finalise(
    uow: SupervisionUnitOfWork, row: RevocationRow, others: Sequence[RevocationRow], today: date
) -> None:
    before = row.status
    await uow.revocations.move(row, RevocationStatus.REVOKED)
    row.decided_on = today
    for other in others:
        if other.id != row.id and other.status == _PROPOSED:
            await uow.revocations.move(other, RevocationStatus.SUPERSEDED)
            other.superseded_by = row.id
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
