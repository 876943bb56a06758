"""Profiles that need an on-site check (现场核查) before approval (domain.md §6).

Used by the review service when a case opens; the triggers and thresholds are the
policy's `onsite_triggers`, and the codes returned are its field names.
"""

from __future__ import annotations

from shared.kernel.evaluation.form import InformationForm
from shared.kernel.policy.model import Policy

# Code → (Chinese, English) for showing a trigger to the reviewing agency.
ONSITE_TRIGGER_MESSAGES: dict[str, tuple[str, str]] = {
    "few_employees": ("职工人数过少", "very few employees"),
    "no_ip": ("未填报任何知识产权", "no IP of any kind"),
    "low_rd_expense": ("研发费用过低", "very low R&D expense"),
    "first_time_fast_track": (
        "首次申报且申请直通车",
        "first-time applicant claiming a fast-track",
    ),
}


def onsite_triggers(form: InformationForm, policy: Policy, first_time: bool) -> list[str]:
    """Codes of the enabled triggers that match the form, in policy order."""
    triggers = policy.onsite_triggers
    matched = []
    if (
        triggers.few_employees.enabled
        and form.personnel.employees_total <= triggers.few_employees.max_employees
    ):
        matched.append("few_employees")
    if triggers.no_ip.enabled and not form.ip:
        matched.append("no_ip")
    if (
        triggers.low_rd_expense.enabled
        and form.finance.rd_expense_total < triggers.low_rd_expense.below
    ):
        matched.append("low_rd_expense")
    if triggers.first_time_fast_track.enabled and first_time and form.fast_track:
        matched.append("first_time_fast_track")
    return matched
