"""Public supervision channels (公开监督方式, contract § Round 2): the public reads them for
the province and every agency of the organisation tree; the province edits any, an agency
its own."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from shared.kernel.codes.orgtree import Organisation, org_tree
from shared.kernel.errors import Forbidden, NotFound
from shared.platform.auth.principal import Role
from shared.platform.web.deps import Runtime
from shared.platform.web.params import Staff as Editor
from supervision import views
from supervision.adapters.tables import SupervisionChannelRow
from supervision.domain.channels import FILING, placeholder_for

public_router = APIRouter(
    prefix="/api/v1/public/supervision-channels", tags=["supervision channels"]
)
router = APIRouter(prefix="/api/v1/supervision-channels", tags=["supervision channels"])

_PHONE = re.compile(r"^[0-9+\-() ]{5,40}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class FilingOut(BaseModel):
    method: str = Field(description="HTTP 方法 / HTTP method")
    path: str = Field(description="本系统的受理路径 / this system's filing path")
    kinds: list[str] = Field(description="可提交的类型 / what may be filed")
    how: str = Field(description="提交方式说明 / how to file (Chinese)")
    how_en: str = Field(description="如何提出（英文）/ How to file, in English")


class ChannelOut(BaseModel):
    org: str = Field(description="机构代码 / organisation code")
    name: str = Field(description="机构名称 / organisation name")
    name_en: str = Field(description="organisation name in English")
    kind: str = Field(description="机构类型 / kind of organisation")
    phone: str = Field(description="监督电话 / phone")
    email: str = Field(description="电子邮箱 / e-mail")
    address: str = Field(description="通信地址 / address")
    office_hours: str = Field(description="受理时间 / office hours")
    notes: str | None = Field(default=None, description="补充说明 / notes")
    placeholder: bool = Field(
        description="联系方式为占位内容，机构尚未公布 / the contacts are placeholders"
    )
    filing: FilingOut = Field(description="如何提出异议、投诉、举报 / how to file")
    updated_at: datetime | None = Field(default=None, description="更新时间 / last update")


class ChannelListOut(BaseModel):
    items: list[ChannelOut] = Field(description="省厅及各评价机构 / the province and every agency")


class ChannelIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    phone: Annotated[str, Field(description="监督电话 / phone")]
    email: Annotated[str, Field(max_length=200, description="电子邮箱 / e-mail")]
    address: Annotated[str, Field(min_length=2, max_length=500, description="通信地址 / address")]
    office_hours: Annotated[
        str, Field(min_length=2, max_length=200, description="受理时间 / office hours")
    ]
    notes: Annotated[
        str | None, Field(default=None, max_length=2000, description="补充说明 / notes")
    ] = None

    @field_validator("phone")
    @classmethod
    def _phone(cls, v: str) -> str:
        if not _PHONE.match(v):
            raise PydanticCustomError("phone", "电话号码格式不正确 / malformed phone number")
        return v

    @field_validator("email")
    @classmethod
    def _email(cls, v: str) -> str:
        if not _EMAIL.match(v):
            raise PydanticCustomError("email", "电子邮箱格式不正确 / malformed e-mail address")
        return v

    @field_validator("address", "office_hours", "notes")
    @classmethod
    def _no_nul(cls, v: str | None) -> str | None:
        if v is not None and "\x00" in v:
            raise PydanticCustomError(
                "text_nul", "不能包含空字符（U+0000） / must not contain NUL characters (U+0000)"
            )
        return v


def _out(org: Organisation, row: SupervisionChannelRow | None) -> ChannelOut:
    contacts: dict[str, Any] = (
        placeholder_for(org)
        if row is None
        else {
            "phone": row.phone,
            "email": row.email,
            "address": row.address,
            "office_hours": row.office_hours,
            "notes": row.notes,
        }
    )
    return ChannelOut(
        org=org.code,
        name=org.name,
        name_en=org.name_en,
        kind=org.kind.value,
        placeholder=row is None,
        filing=FilingOut.model_validate(FILING),
        updated_at=None if row is None else row.updated_at,
        **contacts,
    )


@public_router.get(
    "",
    response_model=ChannelListOut,
    operation_id="supervision_channels_list",
    summary="公开监督方式 / Public supervision channels",
    description=(
        "省厅及各评价机构的监督电话、邮箱、地址、受理时间与提交异议、投诉、举报的方式（公开）。"
        " / For the province and every agency: phone, e-mail, address, office hours and how"
        " to file an objection, complaint or report (public)."
    ),
)
async def list_channels(runtime: Runtime) -> ChannelListOut:
    tree = org_tree()
    async with runtime.db.sessions() as session:
        rows = await views.channels(session)
    orgs = (tree.province, *tree.agencies)
    return ChannelListOut(items=[_out(o, rows.get(o.code)) for o in orgs])


@router.put(
    "/{org}",
    response_model=ChannelOut,
    operation_id="supervision_channels_replace",
    summary="设置本机构监督方式 / Set an organisation's supervision channel",
    description=(
        "省厅可设置任一机构，评价机构仅可设置本机构。"
        " / The province sets any organisation's channel, an agency only its own."
    ),
)
async def put_channel(
    org: Annotated[str, Path(max_length=20, description="机构代码 / organisation code")],
    body: ChannelIn,
    principal: Editor,
    runtime: Runtime,
) -> ChannelOut:
    organisation = org_tree().get(org)
    if organisation is None:
        raise NotFound("未找到该机构", "No such organisation")
    if principal.role is Role.AGENCY and principal.org != org:
        raise Forbidden("评价机构只能设置本机构的监督方式", "An agency sets only its own channel")
    async with runtime.uow(principal.actor) as uow:
        row = await uow.session.get(SupervisionChannelRow, org, with_for_update=True)
        before = None
        if row is None:
            row = SupervisionChannelRow(org=org)
            uow.session.add(row)
        else:
            before = {"phone": row.phone, "email": row.email, "address": row.address}
        row.phone, row.email, row.address = body.phone, body.email, body.address
        row.office_hours, row.notes = body.office_hours, body.notes
        row.updated_by = principal.sub
        row.updated_at = runtime.clock.now()
        await uow.session.flush()
        await uow.audit.record(
            "supervision_channel.replace",
            "supervision_channel",
            org,
            before=before,
            after=body.model_dump(),
        )
    return _out(organisation, row)
