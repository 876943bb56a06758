"""/api/v1/quarterly-reports — filing and reading quarterly reports (季度报告)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query

from shared.kernel.errors import InvalidInput, NotFound, field_error
from shared.platform.auth.principal import Role
from shared.platform.web.deps import Runtime
from shared.platform.web.openapi import error_responses
from shared.platform.web.pagination import Page, PageQuery
from shared.platform.web.params import YearPath
from tracking import views
from tracking.adapters.unit_of_work import SqlTrackingUnitOfWork
from tracking.domain.samples import sample_report
from tracking.entrypoints.api.roles import (
    Enterprise,
    OptionalQuarter,
    OptionalYear,
    Reader,
    USCCQuery,
)
from tracking.entrypoints.api.schemas import QuarterlyReportOut
from tracking.service_layer.reports import submit_report

router = APIRouter(prefix="/api/v1/quarterly-reports", tags=["quarterly reports"])

ReportYear = YearPath
ReportQuarter = Annotated[int, Path(ge=1, le=4)]

EXAMPLE_BODY = sample_report(needs=[{"category": "financing", "text": "希望对接科技信贷产品"}])


class ReportNotFound(NotFound):
    code = "quarterly_report_not_found"
    message = "未找到该季度报告"
    message_en = "Quarterly report not found"


class EnterpriseNotNamed(InvalidInput):
    code = "uscc_required"
    message = "请用 uscc 参数指明企业"
    message_en = "Name the enterprise with the uscc parameter"

    def __init__(self) -> None:
        super().__init__(
            details=[field_error(["query", "uscc"], "缺少必填字段", "Field required", "missing")]
        )


@router.put("/{year}/{quarter}", response_model=QuarterlyReportOut, responses=error_responses(409))
async def put_quarterly_report(
    year: ReportYear,
    quarter: ReportQuarter,
    principal: Enterprise,
    runtime: Runtime,
    body: Annotated[
        dict[str, Any],
        Body(
            description="The year's report fields (policy `tracking.report_fields`) and "
            "optional `needs`; unknown fields are refused.",
            examples=[EXAMPLE_BODY],
        ),
    ],
) -> QuarterlyReportOut:
    """报送（截止前可替换）某季度的季度报告。
    File (or, until the due date, replace) the report of one quarter. After the due date
    a report is accepted once and marked late; 409 without an obligation for the quarter."""
    async with runtime.uow(principal.actor) as uow:
        filed = await submit_report(
            SqlTrackingUnitOfWork(uow),
            principal,
            year,
            quarter,
            body,
            runtime.policies,
            runtime.clock.today(),
            runtime.clock.now(),
        )
    return QuarterlyReportOut.of(filed.report, filed.obligation)


@router.get("/{year}/{quarter}", response_model=QuarterlyReportOut)
async def get_quarterly_report(
    year: ReportYear,
    quarter: ReportQuarter,
    principal: Reader,
    runtime: Runtime,
    uscc: USCCQuery = None,
) -> QuarterlyReportOut:
    """读取某季度的季度报告。
    An enterprise reads its own; an agency or the province names the enterprise (`uscc`)."""
    target = principal.uscc if principal.role is Role.ENTERPRISE else uscc
    if target is None:
        raise EnterpriseNotNamed()  # a bureau's request without it is malformed, not a miss
    async with runtime.db.sessions() as session:
        report, obligation = await views.report(
            session,
            principal,
            uscc=target,
            year=year,
            quarter=quarter,
            not_found=ReportNotFound(),
        )
    return QuarterlyReportOut.of(report, obligation)


@router.get("", response_model=Page[QuarterlyReportOut])
async def list_quarterly_reports(
    principal: Reader,
    runtime: Runtime,
    page: PageQuery,
    year: OptionalYear = None,
    quarter: OptionalQuarter = None,
    region: Annotated[
        str | None,
        Query(
            pattern=r"^[0-9]{2}([0-9]{2}){0,2}$",
            description="region code (GB/T 2260): 6 digits, or a 2/4-digit prefix",
        ),
    ] = None,
    uscc: USCCQuery = None,
) -> dict[str, Any]:
    """季度报告列表，最近提交的在前。
    Reports in scope, most recently filed first."""
    async with runtime.db.sessions() as session:
        items, cursor = await views.reports(
            session, principal, page, year=year, quarter=quarter, region=region, uscc=uscc
        )
    return {
        "items": [QuarterlyReportOut.of(report, obligation) for report, obligation in items],
        "next_cursor": cursor,
    }
