"""/api/v1/policy/{year} — the yearly policy (年度政策), served by intake for every service."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from intake.adapters.unit_of_work import SqlIntakeUnitOfWork
from intake.entrypoints.api.deps import Province
from intake.service_layer.policies import replace_policy
from shared.platform.web.deps import Runtime
from shared.platform.web.openapi import error_responses
from shared.platform.web.params import year_path

router = APIRouter(prefix="/api/v1/policy", tags=["policy"])

YearPath = Annotated[int, year_path("evaluation year")]


@router.get("")
async def policy_years(runtime: Runtime) -> dict[str, list[int]]:
    """公开：有政策文件的评价年度。
    Public: the evaluation years that have a policy."""
    return {"years": runtime.policies.years()}


@router.get("/{year}")
async def get_policy(year: YearPath, runtime: Runtime) -> dict[str, Any]:
    """公开：该年度现行政策（最新版本）。
    Public: the year's effective policy (its newest version)."""
    policy = await runtime.policies.get(year)
    return policy.to_document()


@router.put("/{year}", responses=error_responses(409))
async def put_policy(
    year: YearPath,
    document: Annotated[dict[str, Any], Body()],
    principal: Province,
    runtime: Runtime,
) -> dict[str, Any]:
    """省级：以修改后的副本替换该年度政策。
    Province: replace the year's policy with an edited copy of what GET returned.

    `version` must be the version that was read (409 if someone saved in between); the
    stored policy gets the next version and reaches every service as
    `cn.sme.policy.updated.v1`.
    """
    async with runtime.uow(principal.actor) as uow:
        policy = await replace_policy(
            SqlIntakeUnitOfWork(uow), runtime.policies, year, document, principal.sub
        )
    return policy.to_document()
