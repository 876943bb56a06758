"""The in-memory review repositories keep the repository contract (same class as
PostgreSQL's)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from review.adapters.in_memory import InMemoryReviewUnitOfWork
from review.adapters.tables import PublicityBatchRow, ReviewCaseRow

from .review_contract import ReviewContract


class InMemoryStore:
    def __init__(self) -> None:
        self.uow = InMemoryReviewUnitOfWork()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[InMemoryReviewUnitOfWork]:
        yield self.uow

    async def seed(self, *rows: ReviewCaseRow | PublicityBatchRow) -> None:
        for row in rows:
            if isinstance(row, PublicityBatchRow):
                self.uow.batches.add(row)
            else:
                self.uow.cases.add(row)


class TestInMemoryReview(ReviewContract):
    @pytest.fixture
    def store(self) -> InMemoryStore:
        return InMemoryStore()
