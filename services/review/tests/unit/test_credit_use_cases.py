"""Credit records (诚信档案) from supervision against the in-memory unit of work: a listing
blocks the enterprise's open cases and recomputes their score, its closing clears the
warning, a late replay without an end never lifts it again; the audit record — without a
database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from review.adapters.in_memory import InMemoryReviewUnitOfWork
from review.adapters.tables import ReviewCaseRow
from review.domain.status import CaseStatus
from review.service_layer import credit
from shared.kernel.evaluation.engine import evaluate
from shared.kernel.evaluation.samples import sample_form
from shared.kernel.events.payloads.supervision import CreditRecorded
from shared.kernel.policy.loader import shipped_policy
from shared.platform.policies.in_memory import ShippedPolicies

from .fakes import envelope
from .rows import AT, case_row

LISTING = CreditRecorded(
    uscc=case_row(51).uscc,
    kind="abnormal_operation",
    source="market_supervision",
    starts_on=date(2026, 3, 1),
    entry_id="samr-1",
)


def assessable(n: int, status: CaseStatus = CaseStatus.PENDING) -> ReviewCaseRow:
    """A case with a real form and the score it claims (the sample passes every rule)."""
    case = case_row(n, status)
    form = sample_form()
    case.form = form.model_dump(mode="json")
    claimed = evaluate(form, shipped_policy(2026), date(2026, 6, 15)).model_dump(mode="json")
    case.self_evaluation, case.score = claimed, claimed
    return case


@pytest.fixture
def uow() -> InMemoryReviewUnitOfWork:
    return InMemoryReviewUnitOfWork()


async def deliver(uow: InMemoryReviewUnitOfWork, event: CreditRecorded, hours: int = 0) -> None:
    at = AT + timedelta(hours=hours)
    await credit.on_credit_recorded(uow, event, envelope(event, at), ShippedPolicies())


def credit_warnings(uow: InMemoryReviewUnitOfWork, case: ReviewCaseRow) -> list[tuple[str, bool]]:
    return [(w.severity, w.resolved) for w in uow.warnings.rows.values() if w.case_id == case.id]


async def test_a_listing_blocks_the_open_cases_and_recomputes_their_score(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    case = uow.cases.add(assessable(51))
    registered = uow.cases.add(assessable(51, CaseStatus.REGISTERED))
    registered.year = 2025
    assert case.score["eligible"] is True
    await deliver(uow, LISTING)
    assert credit_warnings(uow, case) == [("block", False)]
    assert case.score["eligible"] is False
    assert credit_warnings(uow, registered) == []  # a registered case is not reassessed
    assert uow.credit.rows["samr-1"].ends_on is None
    (audit,) = uow.audit.records
    assert (audit.action, audit.entity_id) == ("credit_record.received", "samr-1")
    assert audit.after is not None
    assert audit.after["cases_reassessed"] == [str(case.id)]
    assert uow.outbox.events == []


async def test_a_closed_listing_clears_the_warning_and_a_late_replay_never_reopens_it(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    case = uow.cases.add(assessable(51))
    await deliver(uow, LISTING)
    # closed before the lookback period: no longer relevant
    closed = LISTING.model_copy(update={"starts_on": date(2023, 3, 1), "ends_on": date(2024, 6, 1)})
    await deliver(uow, closed, hours=1)
    assert credit_warnings(uow, case) == [("block", True)]
    assert case.score["eligible"] is True
    # The first event replayed late (e.g. from the dead letters) has no end.
    await deliver(uow, LISTING.model_copy(update={"starts_on": date(2023, 3, 1)}), hours=2)
    assert uow.credit.rows["samr-1"].ends_on == date(2024, 6, 1)
    assert credit_warnings(uow, case) == [("block", True)]
    assert len(uow.audit.records) == 3


async def test_an_entry_without_id_is_keyed_by_source_kind_and_start(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    await deliver(uow, LISTING.model_copy(update={"entry_id": None}))
    assert list(uow.credit.rows) == ["market_supervision:abnormal_operation:2026-03-01"]
