"""The organisation tree and region → agency routing (domain.md §1).

Loaded once from `org_tree.yaml` at import; routing is a dictionary lookup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml

_REGION = re.compile(r"^\d{6}$")


class OrgKind(StrEnum):
    PROVINCE = "province"
    LEAGUE_CITY = "league_city"  # 盟市科技局
    COUNTY_CITY = "county_city"  # 计划单列的县级市 (满洲里, 二连浩特)
    HIGH_TECH_ZONE = "high_tech_zone"  # 国家高新区管委会


@dataclass(frozen=True, slots=True)
class Organisation:
    code: str
    kind: OrgKind
    name: str
    name_en: str
    prefixes: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    # High-tech zones only: the league/city prefixes the zone lies in (domain.md §1).
    within: tuple[str, ...] = ()


class UnknownRegion(ValueError):
    """The region code is not 6 digits or lies in no agency's area."""


class UnknownZone(ValueError):
    """The high-tech zone is not an organisation of the tree."""


class ZoneOutsideRegion(ValueError):
    """The declared zone does not lie in the enterprise's own league/city (domain.md §1)."""


@dataclass(frozen=True)
class OrgTree:
    province: Organisation
    agencies: tuple[Organisation, ...]
    _by_code: dict[str, Organisation] = field(init=False, repr=False, compare=False)
    _by_region: dict[str, Organisation] = field(init=False, repr=False, compare=False)
    _by_prefix: dict[str, Organisation] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_code = {o.code: o for o in (self.province, *self.agencies)}
        by_region = {r: o for o in self.agencies for r in o.regions}
        by_prefix = {p: o for o in self.agencies for p in o.prefixes}
        object.__setattr__(self, "_by_code", by_code)
        object.__setattr__(self, "_by_region", by_region)
        object.__setattr__(self, "_by_prefix", by_prefix)

    def get(self, code: str) -> Organisation | None:
        return self._by_code.get(code)

    def is_agency(self, code: str) -> bool:
        org = self._by_code.get(code)
        return org is not None and org.kind is not OrgKind.PROVINCE

    def zones(self) -> tuple[Organisation, ...]:
        return tuple(o for o in self.agencies if o.kind is OrgKind.HIGH_TECH_ZONE)

    def is_zone(self, code: str) -> bool:
        org = self._by_code.get(code)
        return org is not None and org.kind is OrgKind.HIGH_TECH_ZONE

    def zone_holds_region(self, zone_code: str, region_code: str) -> bool:
        """Whether a zone lies in the league/city of the region (`htz-hohhot` in 1501xx)."""
        zone = self._by_code.get(zone_code)
        if zone is None or zone.kind is not OrgKind.HIGH_TECH_ZONE:
            return False
        return region_code[:4] in zone.within

    def agency_for_region(self, region_code: str) -> Organisation:
        """The most specific agency whose area holds the region (exact code before prefix)."""
        if not _REGION.match(region_code):
            raise UnknownRegion(region_code)
        org = self._by_region.get(region_code) or self._by_prefix.get(region_code[:4])
        if org is None:
            raise UnknownRegion(region_code)
        return org

    def route(self, region_code: str, high_tech_zone: str | None) -> Organisation:
        """Which agency reviews an enterprise: its zone's committee first, else by region."""
        if high_tech_zone is not None:
            zone = self._by_code.get(high_tech_zone)
            if zone is None or zone.kind is not OrgKind.HIGH_TECH_ZONE:
                raise UnknownZone(high_tech_zone)
            # The region must still be in the province even if a zone reviews it.
            self.agency_for_region(region_code)
            if not self.zone_holds_region(high_tech_zone, region_code):
                raise ZoneOutsideRegion(high_tech_zone)
            return zone
        return self.agency_for_region(region_code)

    def in_province(self, region_code: str) -> bool:
        try:
            self.agency_for_region(region_code)
        except UnknownRegion:
            return False
        return True


def _org(raw: dict[str, Any]) -> Organisation:
    return Organisation(
        code=str(raw["code"]),
        kind=OrgKind(raw["kind"]),
        name=raw["name"],
        name_en=raw["name_en"],
        prefixes=tuple(raw.get("prefixes", ())),
        regions=tuple(raw.get("regions", ())),
        within=tuple(raw.get("within", ())),
    )


def load_org_tree(path: Path | None = None) -> OrgTree:
    data = yaml.safe_load((path or Path(__file__).with_name("org_tree.yaml")).read_text("utf-8"))
    province = _org({**data["province"], "kind": "province"})
    return OrgTree(province=province, agencies=tuple(_org(a) for a in data["agencies"]))


@cache
def org_tree() -> OrgTree:
    """The process-wide tree (read once)."""
    return load_org_tree()
