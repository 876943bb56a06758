"""The information form (信息表), exactly as in contract.md "The information form".

A rule that spans fields reports the field it blames through the error context key
`field` (a path relative to the model); the error handler appends it to `loc`.

Structural validation only: types, enums, non-negative figures, S&T personnel ≤ employees,
known region and zone, plausible dates. Eligibility and scoring are rules, not validation:
they live in `shared.kernel.evaluation.scoring` and explain themselves.
Unknown fields are refused (`extra="forbid"`), so a typo never silently drops data.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from shared.kernel.calendar.clock import today_in_china
from shared.kernel.codes.achievements import InstitutionLevel, IPKind, StandardLevel, StandardRole
from shared.kernel.codes.industry import INDUSTRY_PATTERN
from shared.kernel.codes.orgtree import org_tree
from shared.kernel.codes.uscc import USCC_PATTERN
from shared.kernel.money import Money
from shared.kernel.policy.model import EARLIEST_YEAR, LATEST_YEAR
from shared.kernel.text import SingleLineText

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9\- ]{5,19}$")

# Plausible dates: no enterprise, patent or certificate of the form predates 1949, none is
# dated after today, and no protection lasts longer than 50 years (invention patents: 20).
EARLIEST_DATE = date(1949, 1, 1)
LONGEST_VALIDITY_YEARS = 50


def _plausible_past(value: date) -> date:
    if value < EARLIEST_DATE:
        raise PydanticCustomError(
            "date_too_early", "日期不能早于 1949-01-01 / date before 1949-01-01"
        )
    if value > today_in_china(datetime.now(UTC)):
        raise PydanticCustomError("date_in_future", "日期不能晚于今天 / date is in the future")
    return value


def _within_validity(start: date, until: date) -> bool:
    try:
        return until <= start.replace(year=start.year + LONGEST_VALIDITY_YEARS)
    except ValueError:  # 29 February
        return until <= date(start.year + LONGEST_VALIDITY_YEARS, 3, 1)


PastDate = Annotated[date, AfterValidator(_plausible_past)]
Name = Annotated[SingleLineText, Field(min_length=1)]
Reference = Annotated[SingleLineText, Field(min_length=1, max_length=64)]


class TaxCollection(StrEnum):
    AUDIT = "audit"  # 查账征收
    DEEMED = "deemed"  # 核定征收


class RdRatioChoice(StrEnum):
    SALES = "sales"
    COST = "cost"


class Contact(BaseModel):
    """Personal data: never in public output or outbound events except the form snapshot
    that travels to review (an internal consumer)."""

    model_config = _STRICT
    name: Annotated[Name, Field(max_length=50)]
    phone: Annotated[str, Field(min_length=6, max_length=20)]
    email: Annotated[str, Field(min_length=3, max_length=254)] | None = None

    @field_validator("phone")
    @classmethod
    def _phone(cls, v: str) -> str:
        if not _PHONE.match(v):
            raise PydanticCustomError("phone", "电话号码格式不正确 / malformed phone number")
        return v

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        if v is not None and not _EMAIL.match(v):
            raise PydanticCustomError("email", "电子邮箱格式不正确 / malformed e-mail address")
        return v


class Enterprise(BaseModel):
    model_config = _STRICT
    uscc: Annotated[str, Field(pattern=USCC_PATTERN)]
    name: Annotated[Name, Field(min_length=2, max_length=200)]
    region_code: Annotated[str, Field(pattern=r"^\d{6}$")]
    established_on: PastDate
    high_tech_zone: str | None = None
    industry_code: Annotated[str, Field(pattern=INDUSTRY_PATTERN)]
    tax_collection: TaxCollection
    resident: bool
    accounting_sound: bool
    contact: Contact

    @field_validator("region_code")
    @classmethod
    def _region_in_province(cls, v: str) -> str:
        if not org_tree().in_province(v):
            raise PydanticCustomError(
                "region",
                "行政区划代码不属于任何评价工作机构的辖区 / region code lies in no evaluation "
                "agency's area",
            )
        return v

    @field_validator("high_tech_zone")
    @classmethod
    def _known_zone(cls, v: str | None, info: ValidationInfo) -> str | None:
        if v is not None and not org_tree().is_zone(v):
            raise PydanticCustomError(
                "zone", "不是已知的国家高新区 / not a known national high-tech zone"
            )
        # domain.md §1: a declared zone must lie in the enterprise's own league/city, so an
        # enterprise of 赤峰 cannot route itself to htz-baotou. A region already refused above
        # is absent from info.data and reported on its own field.
        region = info.data.get("region_code")
        if v is not None and region is not None and not org_tree().zone_holds_region(v, region):
            raise PydanticCustomError(
                "zone_outside_region",
                "所报国家高新区不在企业所在盟市 / the declared high-tech zone is not in the "
                "enterprise's own league or city",
            )
        return v


class Personnel(BaseModel):
    model_config = _STRICT
    employees_total: Annotated[int, Field(ge=0, le=10_000_000)]
    st_personnel: Annotated[int, Field(ge=0, le=10_000_000)]

    @field_validator("st_personnel")
    @classmethod
    def _not_above_total(cls, v: int, info: ValidationInfo) -> int:
        # domain.md §6: S&T personnel above total employees is refused at intake, not warned.
        total = info.data.get("employees_total")
        if total is not None and v > total:
            raise PydanticCustomError(
                "st_personnel_exceeds_total",
                "科技人员数不能大于职工总数 / S&T personnel cannot exceed total employees",
            )
        return v


class Finance(BaseModel):
    """Figures of the previous accounting year (evaluation year − 1), domain.md §2."""

    model_config = _STRICT
    sales_revenue: Money
    total_assets: Money
    cost_expense_total: Money
    rd_expense_total: Money


class IPItem(BaseModel):
    model_config = _STRICT
    kind: IPKind
    number: Reference
    granted_on: PastDate
    valid_until: date | None = None
    related_to_main_product: bool
    disputed: bool

    @model_validator(mode="after")
    def _dates_in_order(self) -> IPItem:
        if self.valid_until is not None and self.valid_until < self.granted_on:
            raise PydanticCustomError(
                "date_order",
                "有效期不能早于授权日期 / valid_until is before granted_on",
                {"field": ("valid_until",)},
            )
        if self.valid_until is not None and not _within_validity(self.granted_on, self.valid_until):
            raise PydanticCustomError(
                "validity_too_long",
                "有效期不能超过授权日期后 50 年 / valid_until is more than 50 years after "
                "granted_on",
                {"field": ("valid_until",)},
            )
        return self


class HighTechCertificate(BaseModel):
    model_config = _STRICT
    kind: Literal["high_tech_certificate"]
    reference: Reference
    issued_on: PastDate
    valid_until: date

    @model_validator(mode="after")
    def _dates_in_order(self) -> HighTechCertificate:
        if self.valid_until < self.issued_on:
            raise PydanticCustomError(
                "date_order",
                "有效期不能早于发证日期 / valid_until is before issued_on",
                {"field": ("valid_until",)},
            )
        if not _within_validity(self.issued_on, self.valid_until):
            raise PydanticCustomError(
                "validity_too_long",
                "有效期不能超过发证日期后 50 年 / valid_until is more than 50 years after "
                "issued_on",
                {"field": ("valid_until",)},
            )
        return self


class NationalAward(BaseModel):
    model_config = _STRICT
    kind: Literal["national_award"]
    reference: Reference
    year: Annotated[int, Field(ge=1949, le=LATEST_YEAR)]
    rank: Annotated[int, Field(ge=1, le=100)]


class RdInstitution(BaseModel):
    model_config = _STRICT
    kind: Literal["rd_institution"]
    reference: Reference
    level: InstitutionLevel
    recognised_on: PastDate


class Standard(BaseModel):
    model_config = _STRICT
    kind: Literal["standard"]
    reference: Reference
    level: StandardLevel
    year: Annotated[int, Field(ge=1949, le=LATEST_YEAR)]
    role: StandardRole


FastTrackClaim = Annotated[
    HighTechCertificate | NationalAward | RdInstitution | Standard,
    Field(discriminator="kind"),
]


class Declarations(BaseModel):
    """Basic condition 4 and the truthfulness pledge, declared by the enterprise (art. 6)."""

    model_config = _STRICT
    no_major_incident: bool
    no_serious_fraud: bool
    no_research_misconduct: bool
    not_on_credit_lists: bool
    information_true: bool


class InformationForm(BaseModel):
    """信息表 — what an enterprise files for one evaluation year."""

    model_config = _STRICT
    year: Annotated[int, Field(ge=EARLIEST_YEAR, le=LATEST_YEAR)]
    enterprise: Enterprise
    personnel: Personnel
    finance: Finance
    rd_ratio_choice: RdRatioChoice | None = None
    ip: Annotated[list[IPItem], Field(max_length=500)] = []
    fast_track: Annotated[list[FastTrackClaim], Field(max_length=20)] = []
    declarations: Declarations

    @model_validator(mode="after")
    def _cross_field(self) -> InformationForm:
        # Figures are of the previous accounting year: the enterprise must have existed then.
        reported_year_end = date(self.year - 1, 12, 31)
        if self.enterprise.established_on > reported_year_end:
            raise PydanticCustomError(
                "established_after_reported_year",
                "成立日期晚于所报会计年度末 / established after the end of the reported "
                "accounting year",
                {"field": ("enterprise", "established_on")},
            )
        return self

    @property
    def reported_year(self) -> int:
        return self.year - 1
