"""The yearly policy (年度政策): every threshold, window and deadline of one evaluation year.

Policy is data (domain.md): one document per evaluation year, shipped as YAML under
`years/`, replaced at run time through `PUT /policy/{year}` (each replacement a new
`version`). Code reads thresholds from here and never repeats them as literals.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator

from shared.kernel.calendar.schedule import schedules_from_mapping
from shared.kernel.calendar.working_days import WorkingDayCalendar
from shared.kernel.policy.calendar_rules import WorkingDaySchedule, check_schedules
from shared.kernel.policy.eligibility_rules import EligibilityPolicy
from shared.kernel.policy.evidence_rules import EvidencePolicy
from shared.kernel.policy.fast_track_rules import FastTrackPolicy
from shared.kernel.policy.onsite_rules import OnsiteTriggers
from shared.kernel.policy.procedure_rules import (
    PublicityPolicy,
    RegistrationPolicy,
    ReviewPolicy,
    SpotCheckPolicy,
    SupervisionPolicy,
)
from shared.kernel.policy.scoring_rules import ScoringPolicy
from shared.kernel.policy.tracking_rules import TrackingPolicy
from shared.kernel.policy.values import PolicySection
from shared.kernel.policy.warning_rules import WarningRules

# The years a policy (and so an evaluation, a registration, a report) may name: the scheme
# started in 2017; the upper bound only stops absurd input. Every year field and parameter
# uses these two.
EARLIEST_YEAR = 2017
LATEST_YEAR = 2100
PolicyYear = Annotated[int, Field(ge=EARLIEST_YEAR, le=LATEST_YEAR)]

# contract § Round 2 "Year close": resubmissions default to 20 working days after `closes_on`.
RESUBMISSION_WORKING_DAYS = 20


class Window(PolicySection):
    """Submission window: applications can be submitted from `opens_on` to `closes_on`.

    The year close (contract § Round 2 "Year close"; 87号: 登记编号当年有效): no number of the
    year is issued after `year_closes_on` (default 31 December of the evaluation year), and a
    returned application may be resubmitted until `resubmission_closes_on` (default 20
    working days after `closes_on`). Omitted dates are filled in by `Policy`, which knows the
    year and the calendar, so `GET /policy` always shows them.
    """

    opens_on: date
    closes_on: date  # the cut-off date itself is still open
    year_closes_on: date | None = Field(
        default=None,
        description="年度关闭日：此后不再发放该年度登记编号 / the year close: no number of the "
        "year is issued after this date",
    )
    resubmission_closes_on: date | None = Field(
        default=None,
        description="退回补正后重新提交的截止日 / last day a returned application may be "
        "resubmitted",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.opens_on > self.closes_on:
            raise ValueError("opens_on must not be after closes_on")
        return self

    def is_open_on(self, day: date) -> bool:
        return self.opens_on <= day <= self.closes_on


class Milestones(PolicySection):
    """Target dates the provincial notice sets (informational, e.g. 2024: 10-31, 12-15)."""

    publicity_done_by: date | None = None
    spot_checks_done_by: date | None = None


class EvaluationDateRule(StrEnum):
    """The date on which IP validity and fast-track evidence are judged (arts. 7, 8)."""

    SUBMISSION_DATE = "submission_date"  # the day the form is previewed or submitted
    WINDOW_CLOSES_ON = "window_closes_on"  # the year's submission cut-off
    FIXED_DATE = "fixed_date"  # a date the provincial notice names


class EvaluationDate(PolicySection):
    rule: EvaluationDateRule
    fixed_date: date | None = None  # only with rule fixed_date

    @model_validator(mode="after")
    def _fixed_date_given(self) -> EvaluationDate:
        if (self.rule is EvaluationDateRule.FIXED_DATE) != (self.fixed_date is not None):
            raise ValueError("fixed_date is required with rule fixed_date, and only then")
        return self


class Policy(PolicySection):
    year: PolicyYear
    version: Annotated[int, Field(ge=1)]
    window: Window
    milestones: Milestones = Milestones()
    evaluation_date: EvaluationDate
    eligibility: EligibilityPolicy
    scoring: ScoringPolicy
    fast_track: FastTrackPolicy
    onsite_triggers: OnsiteTriggers
    warnings: WarningRules
    review: ReviewPolicy
    publicity: PublicityPolicy
    registration: RegistrationPolicy
    supervision: SupervisionPolicy
    spot_check: SpotCheckPolicy
    tracking: TrackingPolicy
    evidence: EvidencePolicy = EvidencePolicy()
    # Calendar year → working-day schedule not yet known to `chinesecalendar`.
    calendar: Annotated[
        dict[int, WorkingDaySchedule], AfterValidator(check_schedules), Field(default_factory=dict)
    ]

    @model_validator(mode="after")
    def _window_near_year(self) -> Policy:
        # A window far from its evaluation year is a typo (2206 for 2026), not a policy.
        for day in (self.window.opens_on, self.window.closes_on):
            if abs(day.year - self.year) > 1:
                raise ValueError(f"window date {day} is not near evaluation year {self.year}")
        return self

    @model_validator(mode="after")
    def _year_close_defaults(self) -> Policy:
        # contract § Round 2 "Year close": the defaults are part of validation, so GET shows
        # them and a round trip keeps them. The model is frozen: set them in place.
        object.__setattr__(self.window, "year_closes_on", self.year_closes_on)
        object.__setattr__(self.window, "resubmission_closes_on", self.resubmission_closes_on)
        for name in ("year_closes_on", "resubmission_closes_on"):
            day = getattr(self.window, name)
            if abs(day.year - self.year) > 1:
                raise ValueError(f"window.{name} {day} is not near evaluation year {self.year}")
        if self.resubmission_closes_on < self.window.closes_on:
            raise ValueError("window.resubmission_closes_on must not be before closes_on")
        if self.year_closes_on < self.window.opens_on:
            raise ValueError("window.year_closes_on must not be before opens_on")
        return self

    @property
    def year_closes_on(self) -> date:
        """The last day a number of this year may be issued (default 31 December)."""
        return self.window.year_closes_on or date(self.year, 12, 31)

    @property
    def resubmission_closes_on(self) -> date:
        """The last day a returned application may be resubmitted (default 20 working days,
        official calendar and this policy's schedules, after `closes_on`)."""
        if self.window.resubmission_closes_on is not None:
            return self.window.resubmission_closes_on
        calendar = WorkingDayCalendar(schedules_from_mapping(self.calendar_document()))
        return calendar.add_working_days(self.window.closes_on, RESUBMISSION_WORKING_DAYS).value

    def evaluation_date_for(self, today: date) -> date:
        """The evaluation date of a form previewed or submitted on `today`."""
        rule = self.evaluation_date.rule
        if rule is EvaluationDateRule.WINDOW_CLOSES_ON:
            return self.window.closes_on
        if rule is EvaluationDateRule.FIXED_DATE and self.evaluation_date.fixed_date is not None:
            return self.evaluation_date.fixed_date
        return today

    def to_document(self) -> dict[str, Any]:
        """The JSON document (`GET /policy/{year}`): decimals as strings, ISO dates."""
        return self.model_dump(mode="json")

    def calendar_document(self) -> dict[str, Any]:
        """The `calendar` section as JSON (`shared.kernel.calendar.schedules_from_mapping`
        input)."""
        calendar: dict[str, Any] = self.model_dump(mode="json", include={"calendar"})["calendar"]
        return calendar
