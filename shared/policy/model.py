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

from shared.policy.calendar_rules import WorkingDaySchedule, check_schedules
from shared.policy.eligibility_rules import EligibilityPolicy
from shared.policy.evidence_rules import EvidencePolicy
from shared.policy.fast_track_rules import FastTrackPolicy
from shared.policy.onsite_rules import OnsiteTriggers
from shared.policy.procedure_rules import (
    PublicityPolicy,
    RegistrationPolicy,
    ReviewPolicy,
    SpotCheckPolicy,
    SupervisionPolicy,
)
from shared.policy.scoring_rules import ScoringPolicy
from shared.policy.tracking_rules import TrackingPolicy
from shared.policy.values import PolicySection
from shared.policy.warning_rules import WarningRules

PolicyYear = Annotated[int, Field(ge=2017, le=2100)]


class Window(PolicySection):
    """Submission window: applications can be submitted from `opens_on` to `closes_on`."""

    opens_on: date
    closes_on: date  # the cut-off date itself is still open

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
        """The `calendar` section as JSON (`shared.calendar.schedules_from_mapping` input)."""
        calendar: dict[str, Any] = self.model_dump(mode="json", include={"calendar"})["calendar"]
        return calendar
