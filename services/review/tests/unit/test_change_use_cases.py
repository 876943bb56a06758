"""Change reports after registration (重大变化报告) against the in-memory unit of work: only
the registration's own enterprise reports, a name change is applied to the registry, the
three-month rule flags a late report, the event and the audit record — without a database."""

from __future__ import annotations

from datetime import date

import pytest

from review.adapters.in_memory import InMemoryReviewUnitOfWork
from review.adapters.tables import RegistrationChangeRow
from review.service_layer import changes
from shared.kernel.events.payloads.review import RegistrationChanged
from shared.platform.auth.principal import Principal, Role

from .rows import AGENCY, AT, number, registered, uscc

NUMBER = number(1)
TODAY = date(2026, 6, 15)
NEW_NAME = "内蒙古新名科技有限公司"


@pytest.fixture
async def uow() -> InMemoryReviewUnitOfWork:
    uow = InMemoryReviewUnitOfWork()
    await registered(uow, 1, registered_on=date(2026, 6, 1))
    return uow


def owner(n: int = 1) -> Principal:
    return Principal(sub=f"enterprise:{n}", role=Role.ENTERPRISE, uscc=uscc(n))


async def report(
    uow: InMemoryReviewUnitOfWork,
    kind: str,
    new_value: str,
    effective_on: date,
    *,
    by: Principal | None = None,
    number: str = NUMBER,
) -> RegistrationChangeRow:
    return await changes.report_change(
        uow,
        by or owner(),
        number=number,
        kind=kind,
        new_value=new_value,
        effective_on=effective_on,
        description=None,
        months=3,
        today=TODAY,
        now=AT,
    )


async def test_a_name_change_is_applied_to_the_registry_and_announced(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    old_name = uow.registry.rows[NUMBER].enterprise_name
    change = await report(uow, "name", NEW_NAME, date(2026, 5, 20))
    assert (change.old_value, change.new_value, change.late) == (old_name, NEW_NAME, False)
    assert change.report_due_on == date(2026, 8, 20)
    assert uow.registry.rows[NUMBER].enterprise_name == NEW_NAME
    assert await uow.registry.changes_of(NUMBER) == [change]
    (event,) = uow.outbox.events
    assert isinstance(event, RegistrationChanged)
    assert (event.change_id, event.kind, event.old_value, event.agency, event.late) == (
        str(change.id),
        "name",
        old_name,
        AGENCY,
        False,
    )
    (audit,) = uow.audit.records
    assert (audit.action, audit.entity_id, audit.before) == (
        "registration.change",
        NUMBER,
        {"enterprise_name": old_name},
    )


async def test_a_late_size_change_is_accepted_flagged_and_leaves_the_name(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    name = uow.registry.rows[NUMBER].enterprise_name
    change = await report(uow, "size", "职工620人", date(2026, 3, 14))
    assert (change.old_value, change.late, change.report_due_on) == (
        None,
        True,
        date(2026, 6, 14),
    )
    assert uow.registry.rows[NUMBER].enterprise_name == name
    (event,) = uow.outbox.events
    assert isinstance(event, RegistrationChanged)
    assert (event.kind, event.late) == ("size", True)
    assert uow.audit.records[0].before is None


@pytest.mark.parametrize(
    ("by", "number"),
    [(owner(2), NUMBER), (owner(), "2026150105A0000009")],  # another enterprise's; unknown
)
async def test_only_the_registrations_enterprise_reports_a_change(
    uow: InMemoryReviewUnitOfWork, by: Principal, number: str
) -> None:
    name = uow.registry.rows[NUMBER].enterprise_name
    with pytest.raises(changes.RegistrationNotFound):
        await report(uow, "name", NEW_NAME, date(2026, 5, 20), by=by, number=number)
    assert uow.registry.rows[NUMBER].enterprise_name == name
    assert (uow.registry.changes, uow.outbox.events, uow.audit.records) == ([], [], [])
