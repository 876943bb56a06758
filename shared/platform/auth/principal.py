"""Who is calling: the roles and claims of contract.md "Auth"."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shared.platform.db.audit import Actor


class Role(StrEnum):
    ENTERPRISE = "enterprise"  # bound to one USCC
    AGENCY = "agency"  # evaluation agency (盟市科技局 / 高新区管委会), bound to its org code
    PROVINCE = "province"  # 自治区科技厅: all regions of the province
    EXTERNAL = "external"  # another agency's system: read-only verification


@dataclass(frozen=True, slots=True)
class Principal:
    sub: str
    role: Role
    uscc: str | None = None
    org: str | None = None

    @property
    def actor(self) -> Actor:
        return Actor(sub=self.sub, role=self.role.value, org=self.org or self.uscc)

    def is_(self, *roles: Role) -> bool:
        return self.role in roles
