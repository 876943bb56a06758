"""Filing a quarterly report (`PUT /quarterly-reports/{year}/{quarter}`, domain.md §8)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from shared.kernel.calendar.quarters import quarter_start
from shared.kernel.errors import Conflict
from shared.kernel.events.payloads.tracking import QuarterlyReportSubmitted
from shared.kernel.money import money_str
from shared.platform.auth.principal import Principal
from shared.platform.policies.store import PolicyStore
from tracking.adapters.tables import ObligationRow, QuarterlyReportRow
from tracking.domain.obligation_state import ObligationState, decide_submission
from tracking.domain.report_body import QuarterlyReportBody, validate_report
from tracking.service_layer.unit_of_work import TrackingUnitOfWork


class NoObligation(Conflict):
    code = "no_reporting_obligation"
    message = "该企业在该季度没有季度报告义务"
    message_en = "The enterprise has no reporting obligation for that quarter"


@dataclass(frozen=True, slots=True)
class FiledReport:
    obligation: ObligationRow
    report: QuarterlyReportRow


def figures_json(body: QuarterlyReportBody) -> dict[str, Any]:
    """Money as decimal strings with two places (contract.md), counts as numbers."""
    return {
        name: money_str(value) if isinstance(value, Decimal) else value
        for name, value in body.figures.items()
    }


def _money(value: object) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


def _count(value: object) -> int | None:
    return value if isinstance(value, int) else None


async def submit_report(
    uow: TrackingUnitOfWork,
    principal: Principal,
    year: int,
    quarter: int,
    body: Any,
    policies: PolicyStore,
    today: date,
    now: datetime,
) -> FiledReport:
    assert principal.uscc is not None  # an enterprise principal always has one
    obligation = await uow.obligations.lock(principal.uscc, year, quarter)
    if obligation is None:
        raise NoObligation()
    state = ObligationState(obligation.state)
    outcome = decide_submission(state, obligation.due_on, quarter_start(year, quarter), today)
    policy = await policies.get(obligation.policy_year)
    body_ok = validate_report(body, policy.tracking, policy.eligibility.size_limits)
    figures = figures_json(body_ok)
    needs = [n.model_dump(mode="json") for n in body_ok.needs]

    report = await uow.obligations.report_of(obligation.id)
    before = None
    if report is None:
        report = QuarterlyReportRow(
            obligation_id=obligation.id,
            uscc=obligation.uscc,
            year=year,
            quarter=quarter,
            agency=obligation.agency,
            region_code=obligation.region_code,
            industry_code=obligation.industry_code,
            first_submitted_at=now,
            revision=1,
        )
    else:
        before = {"state": state.value, "figures": report.figures, "needs": report.needs}
        report.revision += 1
    report.figures = figures
    report.needs = needs
    report.policy_version = policy.version
    report.operating_revenue = _money(body_ok.figure("operating_revenue"))
    report.rd_expense = _money(body_ok.figure("rd_expense"))
    report.employees = _count(body_ok.figure("employees"))
    report.late = outcome.late
    report.submitted_at = now

    await uow.obligations.record_report(obligation, report, outcome.state, now)

    await uow.outbox.add(
        QuarterlyReportSubmitted(
            uscc=obligation.uscc,
            year=year,
            quarter=quarter,
            late=outcome.late,
            due_on=obligation.due_on,
            agency=obligation.agency,
            registration_number=obligation.registration_number,
            submitted_at=now,
            replaces_earlier=outcome.replaces,
        )
    )
    await uow.audit.record(
        "quarterly_report.replace" if outcome.replaces else "quarterly_report.submit",
        "obligation",
        f"{obligation.uscc}/{year}Q{quarter}",
        before=before or {"state": state.value},
        after={"state": obligation.state, "late": outcome.late, "figures": figures, "needs": needs},
    )
    return FiledReport(obligation, report)
