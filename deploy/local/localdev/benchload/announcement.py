"""The province-wide announcement stage: N cases ready to announce, seeded set-based, then
announced through the API and timed until every enterprise shows `registered` in intake and
every registration has its obligations in tracking.

Seeding goes straight to the databases (one INSERT per table, whatever N): the cases in
review, in a publicity batch whose period is over, and their applications in intake, in
publicity. Only the announcement itself and what follows from it are measured, so N can be
the issue's 20,000 without an hour of submissions first.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg

from localdev.benchload import lags
from localdev.benchload.flow import AGENCY, REGION, EnterpriseFlow, bench_uscc, wait_for
from shared.kernel.calendar.clock import SystemClock

# Serials far above any HTTP flow's enterprises of the same run: no USCC is used twice.
FIRST_SERIAL = 1_000_000
ISSUED = "cn.sme.registration.issued.v1"

_BATCH = """
    INSERT INTO publicity_batch (id, year, starts_on, ends_on, ends_on_provisional, status,
                                 created_by, created_at)
    VALUES ($1, $2, $3, $4, false, 'in_publicity', 'bench-load', now())
"""
_CASES = """
    INSERT INTO review_case (
        id, application_id, year, uscc, enterprise_name, region_code, industry_code, agency,
        status, round, form, score, self_evaluation, policy_version, first_time,
        submitted_at, due_on, due_on_provisional, onsite_triggers, batch_id, created_at,
        updated_at)
    SELECT gen_random_uuid(), t.app, $3, t.uscc, '内蒙古公告压测企业' || right(t.uscc, 6),
           $4, 'I6513', $5, 'in_publicity', 1, '{}', '{}', '{}', 1, false,
           now(), current_date, false, '[]', $6, now(), now()
    FROM unnest($1::uuid[], $2::text[]) AS t(app, uscc)
"""
_APPLICATIONS = """
    INSERT INTO application (id, year, uscc, agency, status, form, self_evaluation,
                             policy_version, round, submitted_at, created_at, updated_at)
    SELECT t.app, $3, t.uscc, $4, 'in_publicity', '{}', '{}', 1, 1, now(), now(), now()
    FROM unnest($1::uuid[], $2::text[]) AS t(app, uscc)
"""


@dataclass(frozen=True)
class AnnouncementStage:
    cases: int
    seed_seconds: float
    answer_seconds: float  # the announce request
    visible_in_intake: float | None  # from the request's start; None: not within the limit
    visible_in_tracking: float | None
    registered: int  # enterprises `registered` in intake at the end (all, or at the limit)
    obligations: int
    issued: lags.EventTimes


async def _execute(url: str, *statements: tuple[str, tuple[object, ...]]) -> None:
    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction():
            for sql, args in statements:
                await conn.execute(sql, *args)
    finally:
        await conn.close()


async def seed(
    review_url: str, intake_url: str, *, cases: int, year: int, run: str
) -> tuple[str, list[str], list[str]]:
    """The batch id, and the application ids and USCCs of its `cases` cases."""
    usccs = [bench_uscc(FIRST_SERIAL + i, run) for i in range(cases)]
    applications = [str(uuid.uuid4()) for _ in range(cases)]
    batch = uuid.uuid4()
    today = SystemClock().today()
    # Over well before today: the announcement may follow (publicity.may_announce).
    starts_on, ends_on = today - timedelta(days=40), today - timedelta(days=20)
    await _execute(
        review_url,
        (_BATCH, (batch, year, starts_on, ends_on)),
        (_CASES, (applications, usccs, year, REGION, AGENCY, batch)),
    )
    await _execute(intake_url, (_APPLICATIONS, (applications, usccs, year, AGENCY)))
    return str(batch), applications, usccs


async def run_stage(
    flow: EnterpriseFlow,
    database_urls: dict[str, str],
    *,
    cases: int,
    year: int,
    run: str,
    wait_limit: float,
) -> AnnouncementStage:
    db = database_urls
    seed_start = time.monotonic()
    batch_id, applications, usccs = await seed(
        db["review"], db["intake"], cases=cases, year=year, run=run
    )
    seed_seconds = time.monotonic() - seed_start
    print(f"seeded {cases:,} cases ready to announce in {seed_seconds:.1f}s", flush=True)

    async def registered() -> int:
        return await lags.count(
            db["intake"],
            "SELECT count(*) FROM application WHERE id = ANY($1::uuid[]) AND status = 'registered'",
            applications,
        )

    async def registered_in_intake() -> bool:
        return await registered() == cases

    async def obligations_in_tracking() -> bool:
        found = await lags.count(
            db["tracking"],
            "SELECT count(DISTINCT registration_number) FROM obligation"
            " WHERE uscc = ANY($1::text[])",
            usccs,
        )
        return found == cases

    async def seconds_until(probe: Callable[[], Awaitable[bool]], what: str) -> float | None:
        try:
            return await wait_for(probe, start, wait_limit, what)
        except RuntimeError:  # not all within the limit: the counts kept say how far
            return None

    wall, start = time.time(), time.monotonic()
    await flow.announce(batch_id)
    answer = time.monotonic() - start
    print(f"announced {cases:,} seeded cases in {answer:.1f}s", flush=True)
    in_intake, in_tracking = await asyncio.gather(
        seconds_until(registered_in_intake, "intake registrations"),
        seconds_until(obligations_in_tracking, "tracking obligations"),
    )
    obligations = await lags.count(
        db["tracking"], "SELECT count(*) FROM obligation WHERE uscc = ANY($1::text[])", usccs
    )
    issued = await lags.event_times(
        db["review"], list(db.values()), ISSUED, datetime.fromtimestamp(wall - 1, UTC)
    )
    return AnnouncementStage(
        cases, seed_seconds, answer, in_intake, in_tracking, await registered(), obligations, issued
    )
