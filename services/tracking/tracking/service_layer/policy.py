"""A new policy version (`cn.sme.policy.updated.v1`): keep it, then move open due dates.

When the province changes a year's reporting deadline (days or calendar|working counting),
obligations still `due` under that year get the new due date. A version may also enter a
year's official working-day schedule (its `calendar` section), which every policy year's
working-day due dates are counted on — so the open obligations of all years are recounted,
each under its own year's tracking rules, on the calendar as this version leaves it.
Obligations already submitted, late or overdue keep theirs: a state is never taken back.
"""

from __future__ import annotations

from typing import Any

from shared.kernel.calendar import WorkingDayCalendar, schedules_from_mapping
from shared.kernel.calendar.clock import Clock
from shared.kernel.calendar.quarters import Quarter
from shared.kernel.events.envelope import CloudEvent
from shared.kernel.events.payloads.intake import PolicyUpdated
from shared.kernel.policy.loader import policy_from_document, shipped_policies
from shared.kernel.policy.model import Policy
from shared.platform.policies.store import PolicyStore
from tracking.domain.due_dates import due_date
from tracking.service_layer.unit_of_work import DueDates, TrackingUnitOfWork


async def on_policy_updated(
    uow: TrackingUnitOfWork,
    event: PolicyUpdated,
    envelope: CloudEvent,
    policies: PolicyStore,
    clock: Clock,
) -> None:
    # Kept as `shared.platform.policies.handlers.on_policy_updated` keeps it.
    policy = policy_from_document(event.policy)
    await uow.policy_versions.keep(policy, created_by=f"event:{event.version}")
    await uow.audit.record("policy.received", "policy", f"{event.year}/v{event.version}")
    # Visible in this replica once committed; other replicas see it within the store's TTL.
    uow.after_commit(lambda: policies.remember(policy))
    # Read in this transaction: the store's cache may not hold the version just kept.
    newest = await uow.policy_versions.newest_version(event.year)
    if newest is not None and newest > event.version:
        return  # an older version arriving late changes no date
    in_force = await _policies_in_force(uow)
    in_force[event.year] = policy
    calendar = _calendar_of(in_force)
    due_dates: DueDates = {}
    for policy_year, year, quarter in await uow.obligations.open_quarters():
        rules = in_force.get(policy_year) or await policies.get(policy_year)
        due = due_date(Quarter(year, quarter), rules.tracking, calendar)
        due_dates[(policy_year, year, quarter)] = (due.value, due.provisional)
    changed = await uow.obligations.reschedule_open(due_dates, clock.now())
    if changed:
        await uow.audit.record(
            "obligation.reschedule",
            "policy",
            f"{event.year}/v{event.version}",
            after={
                "obligations": changed,
                "due_dates": {
                    f"{y}Q{q} (policy {py})": d.isoformat()
                    for (py, y, q), (d, _) in due_dates.items()
                },
            },
        )


async def _policies_in_force(uow: TrackingUnitOfWork) -> dict[int, Policy]:
    """The newest version of every year, read in this transaction.

    Not from the store's cache: it learns of a version only after the transaction that
    kept it commits (in this replica; in the others on their next refresh), so it could
    count on the schedules and deadlines of a version already replaced.
    """
    stored = [policy_from_document(d) for d in await uow.policy_versions.newest_documents()]
    return {**shipped_policies(), **{p.year: p for p in stored}}


def _calendar_of(in_force: dict[int, Policy]) -> WorkingDayCalendar:
    """The working-day calendar of these policies, merged as `PolicyStore.calendar` does:
    a later evaluation year's entry wins for the same calendar year."""
    mapping: dict[Any, Any] = {}
    for year in sorted(in_force):
        mapping.update(in_force[year].calendar_document())
    return WorkingDayCalendar(schedules_from_mapping(mapping))
