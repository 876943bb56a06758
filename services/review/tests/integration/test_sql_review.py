"""The PostgreSQL review repositories keep the repository contract (same class as the
in-memory ones), on a fresh migrated database of the review app (tests/conftest.py
`review`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from review.adapters.tables import PublicityBatchRow, ReviewCaseRow
from review.adapters.unit_of_work import SqlReviewUnitOfWork
from shared.platform.db.audit import Actor
from shared.platform.runtime import ServiceRuntime

from ..conftest import Review
from ..unit.review_contract import ReviewContract

pytestmark = pytest.mark.integration

ACTOR = Actor(sub="contract-test", role="system")


class SqlStore:
    def __init__(self, runtime: ServiceRuntime) -> None:
        self.runtime = runtime

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqlReviewUnitOfWork]:
        async with self.runtime.uow(ACTOR) as work:
            yield SqlReviewUnitOfWork(work)

    async def seed(self, *rows: ReviewCaseRow | PublicityBatchRow) -> None:
        async with self.runtime.uow(ACTOR) as work:
            for row in rows:  # in order: a case's batch before the case
                work.session.add(row)
                await work.session.flush()


class TestSqlReview(ReviewContract):
    @pytest.fixture
    def store(self, review: Review) -> SqlStore:
        return SqlStore(review.runtime)
