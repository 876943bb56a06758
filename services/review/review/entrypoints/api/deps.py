"""Role aliases that keep route signatures short."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from shared.auth.principal import Principal, Role
from shared.web.auth import require_roles

Reviewer = Annotated[Principal, Depends(require_roles(Role.AGENCY, Role.PROVINCE))]
Agency = Annotated[Principal, Depends(require_roles(Role.AGENCY))]
Province = Annotated[Principal, Depends(require_roles(Role.PROVINCE))]
Verifier = Annotated[Principal, Depends(require_roles(Role.EXTERNAL, Role.PROVINCE))]
