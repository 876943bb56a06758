"""Deadlines and formats of the yearly cycle (domain.md §5, §7) as data."""

from __future__ import annotations

import string
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from shared.kernel.policy.values import Days, PolicySection, UnitRatio


class ReviewPolicy(PolicySection):
    """Formal review (形式审查): a case not decided in time is flagged overdue."""

    deadline_working_days: Days  # counted from the submission date


class PublicityCountStart(StrEnum):
    # The first counted working day is the working day after `starts_on` (default).
    NEXT_WORKING_DAY = "next_working_day"
    # `starts_on` itself counts when it is a working day.
    START_DATE = "start_date"


class PublicityPolicy(PolicySection):
    """Publicity (公示) of approved cases; objections are accepted only inside it."""

    working_days: Days
    count_from: PublicityCountStart


class RegistrationValidity(StrEnum):
    END_OF_EVALUATION_YEAR = "end_of_evaluation_year"
    FIXED_DATE = "fixed_date"


_NUMBER_FIELDS = frozenset({"year", "region", "serial"})


class RegistrationPolicy(PolicySection):
    """Registration number (入库登记编号) and its validity.

    `number_format` is a `str.format` template over `year` (int), `region` (the
    enterprise's 6-digit region code, str) and `serial` (int, unique within the year and
    province). Default `{year:04d}{region}A{serial:07d}` → `2026150105A0000001`.
    """

    number_format: Annotated[str, Field(min_length=1, max_length=100)]
    validity: RegistrationValidity
    valid_until: date | None = None  # only with validity = fixed_date

    @field_validator("number_format")
    @classmethod
    def _known_fields(cls, v: str) -> str:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(v) if name is not None}
        except ValueError as exc:
            raise ValueError(f"malformed number_format: {exc}") from None
        if not names <= _NUMBER_FIELDS or "serial" not in names:
            raise ValueError(
                "number_format may use only {year}, {region}, {serial}; {serial} is required"
            )
        try:
            v.format(year=2026, region="150105", serial=1)
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            raise ValueError(f"number_format does not format a sample number: {exc}") from None
        return v

    @model_validator(mode="after")
    def _fixed_date_given(self) -> RegistrationPolicy:
        fixed = self.validity is RegistrationValidity.FIXED_DATE
        if fixed != (self.valid_until is not None):
            raise ValueError("valid_until is required with validity fixed_date, and only then")
        return self

    def format_number(self, year: int, region_code: str, serial: int) -> str:
        return self.number_format.format(year=year, region=region_code, serial=serial)

    def valid_until_for(self, year: int) -> date:
        """Last day a registration of evaluation year `year` is valid."""
        if self.valid_until is not None:
            return self.valid_until
        return date(year, 12, 31)


class SupervisionPolicy(PolicySection):
    """Objection, complaint and report handling deadlines (domain.md §7)."""

    accept_working_days: Days
    conclude_working_days: Days
    # Revocation procedure (告知—陈述申辩, contract § Round 2): the enterprise may state its
    # case within this many working days of the notice.
    statement_working_days: Days = 10
    # Changes after registration (重大变化报告): reported within this many months of taking
    # effect; later reports are accepted and flagged.
    change_report_months: Annotated[int, Field(ge=1, le=24)] = 3


class SpotCheckPolicy(PolicySection):
    """Year-end spot check (集中抽查) of registered enterprises."""

    ratio: Annotated[UnitRatio, Field(gt=0)]
    minimum_per_agency: Annotated[int, Field(ge=0)]
