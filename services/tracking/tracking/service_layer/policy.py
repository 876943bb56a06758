"""A new policy version (`cn.sme.policy.updated.v1`): keep it, then move open due dates.

When the province changes a year's reporting deadline (days or calendar|working counting),
obligations still `due` under that year get the new due date. Obligations already
submitted, late or overdue keep theirs: a state is never taken back.
"""

from __future__ import annotations

from sqlalchemy import func, select

from shared.calendar.clock import Clock
from shared.calendar.quarters import Quarter
from shared.db.metadata import policy_version
from shared.db.unit_of_work import UnitOfWork
from shared.events.envelope import CloudEvent
from shared.events.payloads.intake import PolicyUpdated
from shared.messaging.consumer import Handler
from shared.policy.handlers import policy_updated_handler
from shared.policy.loader import policy_from_document
from shared.policy.store import PolicyStore
from tracking.adapters import obligations as repo
from tracking.domain.due_dates import due_date


def policy_updated_with_due_dates(policies: PolicyStore, clock: Clock) -> Handler[PolicyUpdated]:
    keep_version = policy_updated_handler(policies)

    async def on_policy_updated(
        uow: UnitOfWork, event: PolicyUpdated, envelope: CloudEvent
    ) -> None:
        await keep_version(uow, event, envelope)
        # Read in this transaction: the store's cache may not hold the version just kept.
        newest = await uow.session.scalar(
            select(func.max(policy_version.c.version)).where(policy_version.c.year == event.year)
        )
        if newest is not None and newest > event.version:
            return  # an older version arriving late changes no date
        tracking = policy_from_document(event.policy).tracking
        calendar = await policies.calendar()
        due_dates = {}
        for year, quarter in await repo.open_quarters(uow.session, event.year):
            due = due_date(Quarter(year, quarter), tracking, calendar)
            due_dates[(year, quarter)] = (due.value, due.provisional)
        changed = await repo.reschedule_open(uow.session, event.year, due_dates, clock.now())
        if changed:
            await uow.audit.record(
                "obligation.reschedule",
                "policy",
                f"{event.year}/v{event.version}",
                after={
                    "obligations": changed,
                    "due_dates": {
                        f"{y}Q{q}": d.isoformat() for (y, q), (d, _) in due_dates.items()
                    },
                },
            )

    return on_policy_updated
