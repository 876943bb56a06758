"""Profiles that require an on-site check before approval (domain.md §6), as data."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from shared.kernel.money import Money
from shared.kernel.policy.values import PolicySection


class FewEmployeesTrigger(PolicySection):
    enabled: bool
    max_employees: Annotated[int, Field(ge=0)]  # employees ≤ this triggers (inclusive)


class NoIPTrigger(PolicySection):
    """No IP item of any kind in the form."""

    enabled: bool


class LowRdExpenseTrigger(PolicySection):
    enabled: bool
    below: Money  # R&D expense strictly below this triggers


class FirstTimeFastTrackTrigger(PolicySection):
    """A first-time applicant that claims any fast-track condition."""

    enabled: bool


class OnsiteTriggers(PolicySection):
    """Field names are the trigger codes returned by `shared.kernel.evaluation.onsite_triggers`."""

    few_employees: FewEmployeesTrigger
    no_ip: NoIPTrigger
    low_rd_expense: LowRdExpenseTrigger
    first_time_fast_track: FirstTimeFastTrackTrigger
