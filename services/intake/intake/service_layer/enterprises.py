"""Use cases of the enterprise profile (企业信息): register or update one's own."""

from __future__ import annotations

from datetime import datetime

from intake.adapters.tables import EnterpriseRow
from intake.domain.errors import NotYourEnterprise
from intake.service_layer.unit_of_work import IntakeUnitOfWork
from shared.kernel.codes.orgtree import org_tree
from shared.kernel.codes.uscc import check_uscc
from shared.kernel.evaluation.form import Enterprise
from shared.platform.auth.principal import Principal


async def register_profile(
    uow: IntakeUnitOfWork, principal: Principal, profile: Enterprise, now: datetime
) -> tuple[EnterpriseRow, bool]:
    """Create or replace the enterprise's own profile; returns it and whether it is new."""
    if profile.uscc != principal.uscc:
        raise NotYourEnterprise()
    agency = org_tree().route(profile.region_code, profile.high_tech_zone).code
    document = profile.model_dump(mode="json")
    row = await uow.enterprises.get(profile.uscc, for_update=True)
    before = None if row is None else row.profile
    if row is None:
        row = EnterpriseRow(uscc=profile.uscc, created_at=now)
    row.name = profile.name
    row.region_code = profile.region_code
    row.agency = agency
    row.profile = document
    row.uscc_checksum_ok = check_uscc(profile.uscc).checksum_ok
    row.updated_at = now
    await uow.enterprises.save(row)
    await uow.audit.record(
        "enterprise.register" if before is None else "enterprise.update",
        "enterprise",
        profile.uscc,
        before=before,
        after=document,
    )
    return row, before is None
