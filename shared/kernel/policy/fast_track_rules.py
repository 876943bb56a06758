"""Fast-track (直通车, art. 8) evidence rules as data."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from shared.kernel.codes.achievements import InstitutionLevel, StandardLevel, StandardRole
from shared.kernel.policy.values import PolicySection

# "In the last five years" (domain.md §4) counts evaluation year − lookback_years up to the
# evaluation year itself, both inclusive.
LookbackYears = Annotated[int, Field(ge=0, le=20)]


class HighTechCertificateRule(PolicySection):
    """Art. 8(1): a high-tech enterprise certificate valid on the evaluation date."""

    enabled: bool


class NationalAwardRule(PolicySection):
    """Art. 8(2): a national S&T award in the last five years, ranked among the first units."""

    enabled: bool
    lookback_years: LookbackYears
    max_rank: Annotated[int, Field(ge=1, le=100)]


class RdInstitutionRule(PolicySection):
    """Art. 8(3): a recognised provincial/ministerial-level or higher R&D institution."""

    enabled: bool
    accepted_levels: Annotated[tuple[InstitutionLevel, ...], Field(min_length=1)]


class StandardRule(PolicySection):
    """Art. 8(4): led the drafting of an international, national or industry standard."""

    enabled: bool
    lookback_years: LookbackYears
    accepted_levels: Annotated[tuple[StandardLevel, ...], Field(min_length=1)]
    accepted_roles: Annotated[tuple[StandardRole, ...], Field(min_length=1)]


class FastTrackPolicy(PolicySection):
    """One rule per claim kind; field names equal the form's `fast_track[].kind`."""

    high_tech_certificate: HighTechCertificateRule
    national_award: NationalAwardRule
    rd_institution: RdInstitutionRule
    standard: StandardRule
