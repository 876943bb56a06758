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

from sqlalchemy.ext.asyncio import AsyncSession

from shared.kernel.calendar import WorkingDayCalendar, schedules_from_mapping
from shared.kernel.calendar.clock import Clock
from shared.kernel.calendar.quarters import Quarter
from shared.kernel.events.envelope import CloudEvent
from shared.kernel.events.payloads.intake import PolicyUpdated
from shared.kernel.policy.loader import policy_from_document, shipped_policies
from shared.kernel.policy.model import Policy
from shared.platform.db import policy_versions
from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.policies.handlers import on_policy_updated as keep_version
from shared.platform.policies.store import PolicyStore
from tracking.adapters import obligations as repo
from tracking.domain.due_dates import due_date


async def on_policy_updated(
    uow: UnitOfWork, event: PolicyUpdated, envelope: CloudEvent, policies: PolicyStore, clock: Clock
) -> None:
    await keep_version(uow, event, envelope, policies)
    # Read in this transaction: the store's cache may not hold the version just kept.
    newest = await policy_versions.newest_version(uow.session, event.year)
    if newest is not None and newest > event.version:
        return  # an older version arriving late changes no date
    in_force = await _policies_in_force(uow.session)
    in_force[event.year] = policy_from_document(event.policy)
    calendar = _calendar_of(in_force)
    due_dates = {}
    for policy_year, year, quarter in await repo.open_quarters(uow.session):
        rules = in_force.get(policy_year) or await policies.get(policy_year)
        due = due_date(Quarter(year, quarter), rules.tracking, calendar)
        due_dates[(policy_year, year, quarter)] = (due.value, due.provisional)
    changed = await repo.reschedule_open(uow.session, due_dates, clock.now())
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


async def _policies_in_force(session: AsyncSession) -> dict[int, Policy]:
    """The newest version of every year, read in this transaction.

    Not from the store's cache: it learns of a version only after the transaction that
    kept it commits (in this replica; in the others on their next refresh), so it could
    count on the schedules and deadlines of a version already replaced.
    """
    stored = [policy_from_document(d) for d in await policy_versions.newest_documents(session)]
    return {**shipped_policies(), **{p.year: p for p in stored}}


def _calendar_of(in_force: dict[int, Policy]) -> WorkingDayCalendar:
    """The working-day calendar of these policies, merged as `PolicyStore.calendar` does:
    a later evaluation year's entry wins for the same calendar year."""
    mapping: dict[Any, Any] = {}
    for year in sorted(in_force):
        mapping.update(in_force[year].calendar_document())
    return WorkingDayCalendar(schedules_from_mapping(mapping))
