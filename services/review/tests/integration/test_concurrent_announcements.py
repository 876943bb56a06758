"""Two publicity batches announced at the same moment by two replicas of review: every
registration number is unique and the serials are gap-free (domain.md §5.7)."""

from __future__ import annotations

import asyncio
import re

import pytest
from sqlalchemy import text

from localdev.testing import Tokens, running_app
from review.bootstrap import create_app
from review.config import ReviewSettings
from shared.kernel.calendar.clock import FixedClock

from ..conftest import Review, seed_approved_cases

pytestmark = pytest.mark.integration

PER_BATCH = 300
BATCHES = "/api/v1/publicity-batches"


async def test_two_batches_announced_concurrently_never_share_or_skip_a_serial(
    review: Review, review_settings: ReviewSettings, clock: FixedClock, tokens: Tokens
) -> None:
    province = tokens.province()
    batch_ids = []
    for first, region, agency in ((1, "150105", "150100"), (PER_BATCH + 1, "150203", "150200")):
        case_ids = await seed_approved_cases(
            review.runtime, first=first, count=PER_BATCH, region=region, agency=agency
        )
        created = await review.http.post(
            BATCHES,
            json={"year": 2026, "case_ids": case_ids, "starts_on": "2026-05-06"},
            headers=province,
        )
        assert created.status_code == 201, created.text
        batch_ids.append(created.json()["id"])

    # A second replica: its own process state and connection pool on the same database.
    replica = create_app(review_settings, run_background=False, clock=clock)
    async with running_app(replica) as other:
        responses = await asyncio.gather(
            review.http.post(f"{BATCHES}/{batch_ids[0]}/announce", headers=province),
            other.post(f"{BATCHES}/{batch_ids[1]}/announce", headers=province),
        )
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    assert [r.json()["registered"] for r in responses] == [PER_BATCH, PER_BATCH]

    async with review.runtime.db.sessions() as session:
        numbers = (await session.execute(text("SELECT number, serial FROM registration"))).all()
        counter = (
            await session.execute(text("SELECT last_serial FROM registration_counter"))
        ).scalar_one()
    assert len({n for n, _ in numbers}) == 2 * PER_BATCH  # no duplicate number
    assert sorted(s for _, s in numbers) == list(range(1, 2 * PER_BATCH + 1))  # no gap
    assert counter == 2 * PER_BATCH
    pattern = re.compile(r"^2026(150105|150203)A\d{7}$")
    assert all(pattern.match(n) and int(n[-7:]) == s for n, s in numbers)
    issued = await review.emitted("cn.sme.registration.issued.v1")
    assert len(issued) == 2 * PER_BATCH
