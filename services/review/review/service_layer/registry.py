"""The registry of registration numbers (入库登记): issuing numbers and applying revocations
decided in supervision. Review is its only writer (architecture.md)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import date, datetime

from review.adapters import notices_store
from review.adapters.registry_store import ToRegister
from review.domain.registration import numbers_for
from review.domain.status import RegistrationStatus, move_registration
from review.service_layer.unit_of_work import ReviewUnitOfWork
from shared.kernel.calendar.clock import today_in_china
from shared.kernel.codes.orgtree import org_tree
from shared.kernel.events.envelope import CloudEvent
from shared.kernel.events.payloads.review import RegistrationIssued, RegistrationRevoked
from shared.kernel.events.payloads.supervision import RevocationDecided
from shared.kernel.policy.model import Policy

log = logging.getLogger("review.registry")

REVOCATION_GROUNDS = {
    "no_longer_eligible": ("不再符合评价条件", "no longer meets the conditions"),
    "serious_fraud": ("存在严重弄虚作假行为", "serious fraud"),
    "research_misconduct": ("发生科研严重失信行为", "serious research misconduct"),
    "major_incident": ("发生重大安全、重大质量事故或严重环境违法行为", "major incident"),
    "credit_listing": ("被列入经营异常名录或严重违法失信名单", "listed on a credit list"),
    "failed_spot_check": ("抽查不合格", "failed spot check"),
}


def province_code() -> str:
    return org_tree().province.code


async def register(
    uow: ReviewUnitOfWork,
    *,
    cases: Sequence[ToRegister],
    year: int,
    batch_id: uuid.UUID,
    policy: Policy,
    registered_on: date,
    now: datetime,
    actor: str,
) -> list[RegistrationIssued]:
    """Number and register `cases` in one go: one counter update reserves all serials,
    one insert writes the registry, one update moves the cases. Returns the events."""
    if not cases:
        return []
    # Serial order within a batch: by region, then code — stable and explainable.
    ordered = sorted(cases, key=lambda c: (c.region_code, c.uscc))
    province = province_code()
    first = await uow.registry.take_serials(year, province, len(ordered))
    numbered = numbers_for(policy.registration, year, [c.region_code for c in ordered], first)
    valid_until = policy.registration.valid_until_for(year)
    await uow.registry.insert(
        year=year,
        province=province,
        batch_id=batch_id,
        registered_on=registered_on,
        valid_until=valid_until,
        now=now,
        actor=actor,
        cases=ordered,
        numbered=numbered,
    )
    return [
        RegistrationIssued(
            number=number,
            uscc=c.uscc,
            year=year,
            region_code=c.region_code,
            agency=c.agency,
            valid_until=valid_until,
            registered_on=registered_on,
            enterprise_name=c.enterprise_name,
            industry_code=c.industry_code,
            application_id=str(c.application_id),
            case_id=str(c.case_id),
            batch_id=str(batch_id),
        )
        for c, (_, number) in zip(ordered, numbered, strict=True)
    ]


async def on_revocation_decided(
    uow: ReviewUnitOfWork, event: RevocationDecided, envelope: CloudEvent
) -> None:
    """Supervision decided a revocation (撤销登记编号): apply it, announce it, tell others."""
    # The number may be mistyped upstream; the enterprise and year still identify it.
    registration = await uow.registry.lock(event.number, uscc=event.uscc, year=event.year)
    if registration is None or registration.uscc != event.uscc:
        # Never revoke another enterprise's number on a decision that names this one.
        log.warning(
            "revocation for an unknown registration ignored",
            extra={"number": event.number, "uscc": event.uscc},
        )
        return
    if registration.status == RegistrationStatus.REVOKED:
        return
    revoked_on = event.decided_on or today_in_china(envelope.time)
    registration.status = move_registration(
        RegistrationStatus(registration.status), RegistrationStatus.REVOKED
    ).value
    registration.revoked_on = revoked_on
    registration.revocation_ground = event.ground
    registration.revocation_basis = event.basis
    case = await uow.cases.get(registration.case_id, for_update=True)
    if case is not None:
        uow.cases.note(case, "revoked", envelope.time, actor="supervision", reason=event.ground)
    ground_zh, ground_en = REVOCATION_GROUNDS.get(event.ground, (event.ground, event.ground))
    notice = await uow.notices.add(
        kind=notices_store.REVOCATION,
        year=registration.year,
        title=f"关于撤销{registration.enterprise_name}科技型中小企业入库登记编号的公告（{ground_zh}）",
        title_en=(
            f"Revocation of the S&T SME registration of {registration.enterprise_name} "
            f"({ground_en})"
        ),
        published_on=revoked_on,
        now=envelope.time,
    )
    uow.notices.list_revocation(
        notice,
        uscc=registration.uscc,
        enterprise_name=registration.enterprise_name,
        region_code=registration.region_code,
        agency=registration.agency,
        number=registration.number,
        ground=event.ground,
    )
    await uow.outbox.add(
        RegistrationRevoked(
            number=registration.number,
            uscc=registration.uscc,
            year=registration.year,
            ground=event.ground,
            revoked_on=revoked_on,
            application_id=str(registration.application_id),
        )
    )
    await uow.audit.record(
        "registration.revoke",
        "registration",
        registration.number,
        before={"status": RegistrationStatus.VALID.value},
        after={"status": registration.status, "ground": event.ground, "revoked_on": revoked_on},
    )
