"""Filing a quarterly report (`submit_report`) against the in-memory unit of work: the
obligation's move, the event and the audit record without a database (milliseconds)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from shared.kernel.events.payloads.tracking import QuarterlyReportSubmitted
from shared.platform.auth.principal import Principal, Role
from shared.platform.policies.in_memory import ShippedPolicies
from tracking.adapters.in_memory import InMemoryTrackingUnitOfWork
from tracking.domain.obligation_state import (
    LateReportAlreadyFiled,
    ObligationState,
    ReportNoLongerReplaceable,
)
from tracking.domain.samples import sample_report
from tracking.service_layer.reports import FiledReport, NoObligation, submit_report

from .obligations_contract import obligation

S = ObligationState
NOW = datetime(2026, 10, 10, 2, 0, tzinfo=UTC)
ON_TIME = date(2026, 10, 10)  # Q3 2026 is due 2026-10-20 in these rows
LATE = date(2026, 11, 26)


def _owed(uow: InMemoryTrackingUnitOfWork, state: S = S.DUE) -> Principal:
    row = uow.obligations.add(obligation(state))
    return Principal(sub="e", role=Role.ENTERPRISE, uscc=row.uscc)


@pytest.fixture
def uow() -> InMemoryTrackingUnitOfWork:
    return InMemoryTrackingUnitOfWork()


async def _file(
    uow: InMemoryTrackingUnitOfWork, who: Principal, today: date, **changes: object
) -> FiledReport:
    return await submit_report(
        uow, who, 2026, 3, sample_report(**changes), ShippedPolicies(), today, NOW
    )


async def test_on_time_then_replaced_until_the_due_date(uow: InMemoryTrackingUnitOfWork) -> None:
    me = _owed(uow)
    filed = await _file(uow, me, ON_TIME)
    assert (filed.obligation.state, filed.report.revision, filed.report.late) == (
        "submitted",
        1,
        False,
    )
    replaced = await _file(uow, me, ON_TIME, employees=50)
    assert (replaced.report.revision, replaced.report.employees) == (2, 50)
    first, second = uow.outbox.events
    assert isinstance(second, QuarterlyReportSubmitted)
    assert (first.replaces_earlier, second.replaces_earlier) == (False, True)
    assert [r.action for r in uow.audit.records] == [
        "quarterly_report.submit",
        "quarterly_report.replace",
    ]
    with pytest.raises(ReportNoLongerReplaceable):
        await _file(uow, me, LATE)


async def test_an_overdue_obligation_is_reported_late_once(uow: InMemoryTrackingUnitOfWork) -> None:
    me = _owed(uow, S.OVERDUE)
    filed = await _file(uow, me, LATE)
    assert (filed.obligation.state, filed.report.late) == ("late", True)
    with pytest.raises(LateReportAlreadyFiled):
        await _file(uow, me, LATE)
    assert len(uow.outbox.events) == 1


async def test_a_quarter_without_obligation_is_refused(uow: InMemoryTrackingUnitOfWork) -> None:
    _owed(uow)
    stranger = Principal(sub="x", role=Role.ENTERPRISE, uscc="91150105MA0Q499999")
    with pytest.raises(NoObligation):
        await _file(uow, stranger, ON_TIME)
    assert uow.outbox.events == []
