"""/api/v1/enterprises — the enterprise profile (企业信息)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from intake import views
from intake.adapters.unit_of_work import SqlIntakeUnitOfWork
from intake.entrypoints.api.deps import Enterprise, Reader
from intake.entrypoints.api.schemas import EnterpriseOut
from intake.service_layer import enterprises
from shared.kernel.evaluation.form import Enterprise as EnterpriseProfile
from shared.platform.web.deps import Runtime
from shared.platform.web.params import UsccPath

router = APIRouter(prefix="/api/v1/enterprises", tags=["enterprises"])


@router.post(
    "",
    response_model=EnterpriseOut,
    status_code=201,
    responses={200: {"model": EnterpriseOut, "description": "已更新 / Profile updated"}},
)
async def register_enterprise(
    profile: EnterpriseProfile, principal: Enterprise, runtime: Runtime, response: Response
) -> EnterpriseOut:
    """登记（201）或更新（200）本企业的基本信息。
    Register (201) or update (200) one's own profile. A USCC whose check digit does not
    match is accepted with `uscc_checksum_ok: false` and a warning."""
    async with runtime.uow(principal.actor) as uow:
        row, created = await enterprises.register_profile(
            SqlIntakeUnitOfWork(uow), principal, profile, runtime.clock.now()
        )
    if not created:
        response.status_code = 200
    return EnterpriseOut.of(row)


@router.get("/{uscc}", response_model=EnterpriseOut)
async def get_enterprise(uscc: UsccPath, principal: Reader, runtime: Runtime) -> EnterpriseOut:
    """企业基本信息：企业本身、辖区机构或省级可查。
    The enterprise itself, the agency of its jurisdiction, or the province."""
    async with runtime.db.sessions() as session:
        row = await views.enterprise(session, principal, uscc)
    return EnterpriseOut.of(row)
