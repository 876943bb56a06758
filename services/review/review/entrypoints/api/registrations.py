"""/api/v1/registrations — the registry (入库登记): lists for agencies and the province, and
verification of a number for the tax agency (external systems)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from review import views
from review.adapters.tables import RegistrationChangeRow
from review.adapters.unit_of_work import SqlReviewUnitOfWork
from review.domain.registration import status_on
from review.entrypoints.api.deps import Reviewer, Verifier
from review.entrypoints.api.schemas import RegistrationOut, VerificationOut
from review.service_layer import changes
from shared.kernel.errors import InvalidInput, field_error
from shared.platform.web.deps import Runtime
from shared.platform.web.pagination import Page, PageQuery
from shared.platform.web.params import Enterprise as Owner
from shared.platform.web.params import OptionalYearQuery, YearQuery, uscc_query
from shared.platform.web.params import Reader as Anyone

router = APIRouter(prefix="/api/v1/registrations", tags=["registry"])


@router.get("", response_model=Page[RegistrationOut])
async def list_registrations(
    principal: Reviewer,
    runtime: Runtime,
    page: PageQuery,
    year: OptionalYearQuery = None,
    region: Annotated[
        str | None, Query(pattern=r"^\d{2,6}$", description="region code or its prefix")
    ] = None,
    status: Annotated[Literal["valid", "revoked"] | None, Query()] = None,
) -> dict[str, Any]:
    async with runtime.db.sessions() as session:
        items, cursor = await views.registrations(
            session, principal, page, year=year, region=region, status=status
        )
    today = runtime.clock.today()
    return {"items": [RegistrationOut.of(r, today) for r in items], "next_cursor": cursor}


@router.get(
    "/verify",
    response_model=VerificationOut,
    operation_id="registrations_verify",
    summary="核验入库登记 / Verify a registration",
    description=(
        "税务等外部机构核验企业某评价年度是否入库登记，"
        "以及在 `on` 日（默认今天）的状态；撤销自撤销日起算。"
        " / Whether the enterprise held a registration for evaluation year `year` (whatever the"
        " query date) and its state on `on` (default today); a revocation counts from"
        " `revoked_on`."
    ),
)
async def verify(
    principal: Verifier,
    runtime: Runtime,
    uscc: Annotated[str, uscc_query("统一社会信用代码 / USCC")],
    year: YearQuery,
    on: Annotated[
        date | None,
        Query(description="查询状态的日期，默认今天 / the date of the state, default today"),
    ] = None,
) -> VerificationOut:
    """查验企业该年度是否入库，以及编号在 `on` 当日的状态（默认今天）。
    Was the enterprise registered for the year, and what was the number's state on `on`?
    During the tax settlement of year Y (January–May of Y+1) `registered` stays true while
    `status` says `expired`: the question is the year, not today."""
    as_of = on or runtime.clock.today()
    async with runtime.db.sessions() as session:
        row = await views.registration_of_year(session, uscc, year)
    if row is None:
        return VerificationOut(
            registered=False, uscc=uscc, year=year, status="not_registered", as_of=as_of
        )
    return VerificationOut(
        uscc=uscc,
        year=year,
        registered=True,
        number=row.number,
        registered_on=row.registered_on,
        valid_from=row.registered_on,
        valid_until=row.valid_until,
        revoked_on=row.revoked_on,
        ground=row.revocation_ground,
        status=status_on(
            registered_on=row.registered_on,
            valid_until=row.valid_until,
            revoked_on=row.revoked_on,
            on=as_of,
        ),
        as_of=as_of,
    )


class ChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: Literal["name", "region", "size", "other"] = Field(
        description="变化类型：名称、所在地区、规模、其他 / what changed: name, region, size, other"
    )
    new_value: Annotated[
        str, Field(min_length=1, max_length=200, description="变化后的内容 / the new value")
    ]
    effective_on: date = Field(description="变化生效日期 / the day the change took effect")
    description: Annotated[
        str | None, Field(default=None, max_length=5000, description="说明 / description")
    ] = None

    @field_validator("new_value", "description")
    @classmethod
    def _no_nul(cls, v: str | None) -> str | None:
        if v is not None and "\x00" in v:
            raise PydanticCustomError(
                "text_nul", "不能包含空字符（U+0000） / must not contain NUL characters (U+0000)"
            )
        return v


class ChangeOut(BaseModel):
    id: str = Field(description="报告编号 / report id")
    registration_number: str = Field(description="入库登记编号 / registration number")
    uscc: str = Field(description="统一社会信用代码 / USCC")
    kind: str = Field(description="变化类型 / what changed")
    old_value: str | None = Field(description="变化前 / the value before")
    new_value: str = Field(description="变化后 / the new value")
    effective_on: date = Field(description="生效日期 / effective date")
    description: str | None = Field(description="说明 / description")
    reported_on: date = Field(description="报告日期 / reported on")
    report_due_on: date = Field(description="应报告截止日 / the report was due by")
    late: bool = Field(description="逾期报告（仍予接收） / reported late (accepted, flagged)")
    created_at: datetime = Field(description="创建时间 / created at")

    @classmethod
    def of(cls, row: RegistrationChangeRow) -> ChangeOut:
        return cls(
            id=str(row.id),
            registration_number=row.number,
            uscc=row.uscc,
            kind=row.kind,
            old_value=row.old_value,
            new_value=row.new_value,
            effective_on=row.effective_on,
            description=row.description,
            reported_on=row.reported_on,
            report_due_on=row.report_due_on,
            late=row.late,
            created_at=row.created_at,
        )


class ChangeListOut(BaseModel):
    items: list[ChangeOut] = Field(description="变化报告，按时间 / change reports, oldest first")


NumberPath = Annotated[str, Path(max_length=40, description="入库登记编号 / registration number")]


@router.post(
    "/{number}/changes",
    status_code=201,
    response_model=ChangeOut,
    operation_id="registration_changes_create",
    summary="报告登记后的重大变化 / Report a change after registration",
    description=(
        "企业报告名称、地区、规模等重大变化，应在生效后3个月内（政策）报告，逾期仍受理并标记；"
        "名称变化更新登记信息及此后的公告；规模变化由评价机构提出撤销建议。"
        " / The enterprise reports a change of name, region, size or other within 3 months"
        " (policy) of `effective_on`; late reports are accepted and flagged. A name change"
        " updates the registry and later public notices; `size` opens a revocation proposal"
        " for the routed agency."
    ),
)
async def report_change(
    number: NumberPath, body: ChangeIn, principal: Owner, runtime: Runtime
) -> ChangeOut:
    today = runtime.clock.today()
    if body.effective_on > today:
        raise InvalidInput(
            details=[
                field_error(
                    ["body", "effective_on"],
                    "生效日期不能晚于今天",
                    "effective_on cannot be in the future",
                    "future_date",
                )
            ]
        )
    async with runtime.db.sessions() as session:
        year = await views.registration_year(session, number)
    policy = await runtime.policies.get(year) if year is not None else None
    months = policy.supervision.change_report_months if policy is not None else 3
    async with runtime.uow(principal.actor) as uow:
        row = await changes.report_change(
            SqlReviewUnitOfWork(uow),
            principal,
            number=number,
            kind=body.kind,
            new_value=body.new_value,
            effective_on=body.effective_on,
            description=body.description,
            months=months,
            today=today,
            now=runtime.clock.now(),
        )
    return ChangeOut.of(row)


@router.get(
    "/{number}/changes",
    response_model=ChangeListOut,
    operation_id="registration_changes_list",
    summary="登记后的变化报告 / Change reports of a registration",
    description=(
        "企业（本企业）、评价机构（本辖区）与省厅可查看。"
        " / Readable by the owner, the agency of the registration and the province."
    ),
)
async def list_changes(number: NumberPath, principal: Anyone, runtime: Runtime) -> ChangeListOut:
    async with runtime.db.sessions() as session:
        rows = await views.registration_changes(
            session, principal, number, changes.RegistrationNotFound()
        )
        return ChangeListOut(items=[ChangeOut.of(r) for r in rows])
