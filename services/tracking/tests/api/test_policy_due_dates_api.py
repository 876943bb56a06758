"""A new policy version moves the due dates of open obligations, and only those."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import pytest

from localdev.testing import Tokens
from shared.kernel.calendar import WorkingDayCalendar, schedules_from_mapping
from shared.kernel.calendar.quarters import quarter_due_on
from shared.kernel.events.envelope import CloudEvent
from shared.kernel.events.payloads.intake import PolicyUpdated
from shared.kernel.policy import shipped_policy
from shared.platform.db.audit import Actor
from shared.platform.policies.store import PolicyStore
from tracking.adapters.unit_of_work import SqlTrackingUnitOfWork
from tracking.service_layer.policy import on_policy_updated

if TYPE_CHECKING:
    from conftest import Tracking

pytestmark = pytest.mark.integration


def policy_2026(version: int, **tracking: Any) -> PolicyUpdated:
    document = shipped_policy(2026).to_document()
    document["version"] = version
    document["tracking"].update(tracking)
    return PolicyUpdated(year=2026, version=version, policy=document)


async def due_dates(
    tracking: Tracking, tokens: Tokens, uscc: str
) -> dict[int, tuple[str, str, bool]]:
    response = await tracking.http.get("/api/v1/obligations", headers=tokens.enterprise(uscc))
    return {
        i["quarter"]: (i["due_on"], i["state"], i["due_on_provisional"])
        for i in response.json()["items"]
    }


async def test_longer_reporting_period_moves_only_open_due_dates(
    tracking: Tracking, tokens: Tokens
) -> None:
    uscc = tracking.uscc(400)
    await tracking.register(uscc, registered_on=date(2026, 7, 1))
    await tracking.http.post("/api/v1/tracking/overdue-detection", headers=tokens.province())
    await tracking.deliver(policy_2026(2, due_days_after_quarter_end=20))
    dates = await due_dates(tracking, tokens, uscc)
    assert dates[3] == ("2026-10-15", "overdue", False)  # never taken back
    assert dates[4] == ("2027-01-20", "due", False)


async def test_working_day_counting_uses_the_official_calendar(
    tracking: Tracking, tokens: Tokens
) -> None:
    uscc = tracking.uscc(401)
    await tracking.deliver(policy_2026(2, day_counting="working"))
    await tracking.register(uscc, registered_on=date(2026, 4, 1))
    dates = await due_dates(tracking, tokens, uscc)
    expected = quarter_due_on(2026, 2, 15, "working", WorkingDayCalendar())
    assert dates[2][0] == expected.value.isoformat()
    assert date.fromisoformat(dates[2][0]) > date(2026, 7, 15)  # 15 working days > 15 days
    q4 = quarter_due_on(2026, 4, 15, "working", WorkingDayCalendar())
    assert dates[4][0] == q4.value.isoformat()
    assert dates[4][2] is q4.provisional  # 2027 counted on weekdays only until published


async def test_an_older_policy_version_arriving_late_changes_nothing(
    tracking: Tracking, tokens: Tokens
) -> None:
    uscc = tracking.uscc(402)
    await tracking.deliver(policy_2026(3, due_days_after_quarter_end=25))
    await tracking.register(uscc, registered_on=date(2026, 10, 1))
    await tracking.deliver(policy_2026(2, due_days_after_quarter_end=20))
    assert (await due_dates(tracking, tokens, uscc))[4][0] == "2027-01-25"


# The State Council's 2027 schedule as an administrator enters it (an excerpt: New Year's
# Day off, so the fifteenth working day after 31 December 2026 moves one day later).
CALENDAR_2027 = {"2027": {"holidays": ["2027-01-01"], "workdays": []}}


def published_2027_calendar() -> WorkingDayCalendar:
    return WorkingDayCalendar(schedules_from_mapping(CALENDAR_2027))


async def test_a_published_calendar_makes_provisional_due_dates_final(
    tracking: Tracking, tokens: Tokens
) -> None:
    uscc = tracking.uscc(403)
    await tracking.deliver(policy_2026(2, day_counting="working"))
    await tracking.register(uscc, registered_on=date(2026, 10, 1))
    before = (await due_dates(tracking, tokens, uscc))[4]
    assert before[2] is True  # 2027 is counted on weekdays only so far

    update = policy_2026(3, day_counting="working")
    update.policy["calendar"] = CALENDAR_2027
    await tracking.deliver(update)

    expected = quarter_due_on(2026, 4, 15, "working", published_2027_calendar())
    assert not expected.provisional
    assert expected.value != date.fromisoformat(before[0])
    assert (await due_dates(tracking, tokens, uscc))[4] == (
        expected.value.isoformat(),
        "due",
        False,
    )


async def test_a_calendar_entered_in_next_years_policy_moves_this_years_open_due_dates(
    tracking: Tracking, tokens: Tokens
) -> None:
    uscc = tracking.uscc(404)
    await tracking.deliver(policy_2026(2, day_counting="working"))
    await tracking.register(uscc, registered_on=date(2026, 10, 1))

    document = shipped_policy(2026).to_document()
    document.update(year=2027, version=1, calendar=CALENDAR_2027)
    await tracking.deliver(PolicyUpdated(year=2027, version=1, policy=document))

    expected = quarter_due_on(2026, 4, 15, "working", published_2027_calendar())
    assert (await due_dates(tracking, tokens, uscc))[4] == (
        expected.value.isoformat(),
        "due",
        False,
    )


async def test_the_recount_uses_each_years_newest_version_even_one_another_replica_kept(
    tracking: Tracking, tokens: Tokens
) -> None:
    uscc = tracking.uscc(405)
    await tracking.register(uscc, registered_on=date(2026, 10, 1))  # Q4 due 2027-01-15
    # Another replica (its own policy store) applies 2026 v2; this one has not refreshed yet.
    other_replica = PolicyStore(tracking.runtime.db)
    v2 = policy_2026(2, day_counting="working")
    async with tracking.runtime.uow(Actor.system("tracking")) as uow:
        await on_policy_updated(
            SqlTrackingUnitOfWork(uow),
            v2,
            CloudEvent.wrap(v2, source="/sme/intake"),
            policies=other_replica,
            clock=tracking.runtime.clock,
        )
    assert (await tracking.runtime.policies.get(2026)).version == 1  # stale here

    document = shipped_policy(2026).to_document()
    document.update(year=2027, version=1, calendar=CALENDAR_2027)
    await tracking.deliver(PolicyUpdated(year=2027, version=1, policy=document))

    # Counted in working days (2026 v2), not put back to 15 calendar days (2026 v1).
    expected = quarter_due_on(2026, 4, 15, "working", published_2027_calendar())
    assert (await due_dates(tracking, tokens, uscc))[4][0] == expected.value.isoformat()
