"""Overdue detection: one set-based statement, one event per obligation, never twice."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select, text

from localdev.testing import Tokens
from shared.platform.db.audit import Actor
from shared.platform.db.metadata import audit_log
from tracking.adapters.unit_of_work import SqlTrackingUnitOfWork
from tracking.bootstrap import build_jobs
from tracking.domain.samples import sample_report
from tracking.service_layer.overdue import OverdueRun, detect_overdue

if TYPE_CHECKING:
    from conftest import Tracking

pytestmark = pytest.mark.integration

OVERDUE = "cn.sme.tracking.overdue.v1"


async def detect(tracking: Tracking, tokens: Tokens) -> int:
    response = await tracking.http.post(
        "/api/v1/tracking/overdue-detection", headers=tokens.province()
    )
    assert response.status_code == 200, response.text
    return int(response.json()["marked"])


async def test_every_missing_report_past_its_due_date_becomes_overdue_once(
    tracking: Tracking, tokens: Tokens
) -> None:
    first, second = tracking.uscc(200), tracking.uscc(201)
    await tracking.register(first)  # Q1..Q3 past (today 2026-11-26), Q4 due 2027-01-15
    await tracking.register(second, registered_on=date(2026, 8, 1))  # Q3 past, Q4 due
    assert await detect(tracking, tokens) == 4

    events = await tracking.events(OVERDUE)
    assert sorted((e["uscc"], e["quarter"]) for e in events) == sorted(
        [(first, 1), (first, 2), (first, 3), (second, 3)]
    )
    assert all(e["late"] is True and e["agency"] == "150100" for e in events)
    q3 = next(e for e in events if e["uscc"] == second)
    assert q3["due_on"] == "2026-10-15"

    assert await detect(tracking, tokens) == 0
    assert len(await tracking.events(OVERDUE)) == 4

    response = await tracking.http.get(
        "/api/v1/obligations", params={"state": "overdue"}, headers=tokens.enterprise(first)
    )
    assert sorted(i["quarter"] for i in response.json()["items"]) == [1, 2, 3]


async def test_the_due_date_itself_is_not_overdue_yet(tracking: Tracking, tokens: Tokens) -> None:
    uscc = tracking.uscc(202)
    await tracking.register(uscc, registered_on=date(2026, 10, 1))  # Q4, due 2027-01-15
    tracking.clock.set(datetime(2027, 1, 15, 15, 59, tzinfo=UTC))  # 23:59 Beijing
    assert await detect(tracking, tokens) == 0
    tracking.clock.set(datetime(2027, 1, 15, 16, 0, tzinfo=UTC))  # 00:00 on the 16th
    assert await detect(tracking, tokens) == 1


async def test_submitted_and_late_reports_are_never_made_overdue(
    tracking: Tracking, tokens: Tokens
) -> None:
    uscc = tracking.uscc(203)
    await tracking.register(uscc, registered_on=date(2026, 7, 1))
    headers = tokens.enterprise(uscc)
    assert (await tracking.put_report(headers, 2026, 3, sample_report())).status_code == 200
    assert (await tracking.put_report(headers, 2026, 4, sample_report())).status_code == 200
    tracking.clock.set(datetime(2027, 3, 1, tzinfo=UTC))
    assert await detect(tracking, tokens) == 0


async def test_the_batch_is_audited_with_the_obligations_it_moved(
    tracking: Tracking, tokens: Tokens
) -> None:
    await tracking.register(tracking.uscc(204), registered_on=date(2026, 4, 2))
    assert await detect(tracking, tokens) == 2
    async with tracking.runtime.db.sessions() as session:
        (record,) = (
            await session.execute(
                select(audit_log.c.actor_role, audit_log.c.after).where(
                    audit_log.c.action == "obligation.overdue"
                )
            )
        ).all()
    assert record.actor_role == "province"
    assert record.after["count"] == 2
    assert len(record.after["ids"]) == 2


async def test_only_the_province_runs_the_detection_by_hand(
    tracking: Tracking, tokens: Tokens
) -> None:
    for headers in (tokens.agency("150100"), tokens.enterprise(tracking.uscc(205))):
        response = await tracking.http.post("/api/v1/tracking/overdue-detection", headers=headers)
        assert response.status_code == 403


async def test_the_periodic_job_runs_the_same_detection(tracking: Tracking) -> None:
    (job,) = build_jobs(tracking.runtime)
    assert job.name == "overdue-detection"
    assert job.interval == 3600.0  # TRACKING_OVERDUE_INTERVAL default
    await tracking.register(tracking.uscc(206), registered_on=date(2026, 7, 1))
    await job.run(tracking.runtime)
    assert [e["quarter"] for e in await tracking.events(OVERDUE)] == [3]
    await job.run(tracking.runtime)
    assert len(await tracking.events(OVERDUE)) == 1


async def test_two_replicas_detecting_at_once_emit_each_event_once(tracking: Tracking) -> None:
    """Replica B's UPDATE waits on the rows replica A has marked; once A commits, B re-reads
    them, finds them no longer `due` and emits nothing (READ COMMITTED re-check)."""
    await tracking.register(tracking.uscc(207), registered_on=date(2026, 4, 2))  # Q2, Q3 past
    today, now = tracking.clock.today(), tracking.clock.now()

    async def replica(name: str) -> OverdueRun:
        async with tracking.runtime.uow(Actor.system(name)) as uow:
            return await detect_overdue(SqlTrackingUnitOfWork(uow), today, now)

    async def waiting_on_a_lock() -> bool:
        async with tracking.runtime.db.sessions() as session:
            waiting = await session.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
        return bool(waiting)

    async with tracking.runtime.uow(Actor.system("replica-a")) as uow:
        # rows locked, not yet committed
        first = await detect_overdue(SqlTrackingUnitOfWork(uow), today, now)
        second = asyncio.create_task(replica("replica-b"))
        deadline = time.monotonic() + 10
        while not await waiting_on_a_lock():
            assert not second.done(), "replica B did not wait for replica A's rows"
            assert time.monotonic() < deadline, "replica B never waited on a lock"
            await asyncio.sleep(0.02)
    assert (first.marked, (await second).marked) == (2, 0)
    assert sorted(e["quarter"] for e in await tracking.events(OVERDUE)) == [2, 3]
