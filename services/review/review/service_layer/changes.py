"""Change reports after registration (重大变化报告, contract § Round 2).

One writer per aggregate: review owns the registry, so a name change is applied here — the
registry row and every later public notice (announcements and revocations read the
registry's name) — and announced with `cn.sme.registration.changed.v1`. Supervision opens
the revocation proposal for a `size` change from that event.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from review.adapters.tables import RegistrationChangeRow
from review.domain.changes import is_late, report_due_on
from review.service_layer.unit_of_work import ReviewUnitOfWork
from shared.kernel.errors import NotFound
from shared.kernel.events.payloads.review import RegistrationChanged
from shared.platform.auth.principal import Principal


class RegistrationNotFound(NotFound):
    code = "registration_not_found"
    message = "未找到该登记编号"
    message_en = "Registration not found"


async def report_change(
    uow: ReviewUnitOfWork,
    principal: Principal,
    *,
    number: str,
    kind: str,
    new_value: str,
    effective_on: date,
    description: str | None,
    months: int,
    today: date,
    now: datetime,
) -> RegistrationChangeRow:
    registration = await uow.registry.get(number, for_update=True)
    if registration is None or registration.uscc != principal.uscc:
        raise RegistrationNotFound()
    old_value = {"name": registration.enterprise_name, "region": registration.region_code}.get(kind)
    change = RegistrationChangeRow(
        id=uuid.uuid4(),
        number=number,
        uscc=registration.uscc,
        kind=kind,
        old_value=old_value,
        new_value=new_value,
        effective_on=effective_on,
        description=description,
        reported_on=today,
        report_due_on=report_due_on(effective_on, months),
        late=is_late(effective_on, today, months),
        created_at=now,
    )
    if kind == "name":
        registration.enterprise_name = new_value
    await uow.registry.add_change(change)
    await uow.outbox.add(
        RegistrationChanged(
            change_id=str(change.id),
            number=number,
            uscc=registration.uscc,
            year=registration.year,
            agency=registration.agency,
            kind=kind,  # validated by the request model
            old_value=old_value,
            new_value=new_value,
            effective_on=effective_on,
            reported_on=today,
            late=change.late,
        )
    )
    await uow.audit.record(
        "registration.change",
        "registration",
        number,
        before={"enterprise_name": old_value} if kind == "name" else None,
        after={
            "kind": kind,
            "new_value": new_value,
            "effective_on": effective_on,
            "late": change.late,
        },
    )
    return change
