"""Publicity (公示) and announcement (公告) against the in-memory unit of work: which cases a
batch may take in and when, what the announcement registers and holds, the events, the
public notices and the audit records, without a database."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

import pytest

from review.adapters.in_memory import InMemoryReviewUnitOfWork
from review.adapters.tables import PublicityBatchRow, ReviewCaseRow
from review.domain.errors import (
    BatchAlreadyAnnounced,
    BatchNotFound,
    CasesNotApproved,
    PublicityNotEnded,
    PublicityPastYearClose,
    UnknownCases,
    YearClosed,
)
from review.domain.status import BatchStatus, CaseStatus
from review.service_layer import publicity
from shared.kernel.errors import InvalidInput
from shared.kernel.events.payloads.review import (
    PublicityAnnounced,
    PublicityStarted,
    RegistrationIssued,
)
from shared.kernel.policy.loader import shipped_policy
from shared.platform.auth.principal import Principal, Role
from shared.platform.policies.in_memory import ShippedPolicies

from .rows import AT, batch_row, case_row

C = CaseStatus
PROVINCE = Principal(sub="province-user", role=Role.PROVINCE, org="150000")
POLICY = shipped_policy(2026)
ENDED = date(2026, 6, 8)  # batch_row's publicity ended on 2026-06-05


@pytest.fixture
def uow() -> InMemoryReviewUnitOfWork:
    return InMemoryReviewUnitOfWork()


async def start(
    uow: InMemoryReviewUnitOfWork, case_ids: Sequence[uuid.UUID], starts_on: date | None
) -> PublicityBatchRow:
    return await publicity.start_publicity(
        uow,
        PROVINCE,
        year=2026,
        case_ids=case_ids,
        starts_on=starts_on,
        policy=POLICY,
        calendar=await ShippedPolicies().calendar(),
        today=date(2026, 5, 4),
        now=AT,
    )


async def announce(
    uow: InMemoryReviewUnitOfWork, batch_id: uuid.UUID, today: date = ENDED
) -> tuple[PublicityBatchRow, int, int]:
    return await publicity.announce(uow, PROVINCE, batch_id, policy=POLICY, today=today, now=AT)


def nothing_written(uow: InMemoryReviewUnitOfWork, *batches: PublicityBatchRow) -> bool:
    """No batch but the seeded ones, no notice, event or audit record."""
    return uow.batches.rows == {b.id: b for b in batches} and not (
        uow.notices.rows or uow.outbox.events or uow.audit.records
    )


async def test_a_batch_takes_in_approved_cases_lists_them_and_announces_it(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    second, first = uow.cases.add(case_row(2, C.APPROVED)), uow.cases.add(case_row(1, C.APPROVED))
    batch = await start(uow, [second.id, first.id], date(2026, 5, 6))
    assert (batch.year, batch.starts_on, batch.status) == (2026, date(2026, 5, 6), "in_publicity")
    assert batch.ends_on > batch.starts_on
    assert uow.batches.rows == {batch.id: batch}
    for case in (first, second):
        assert (case.status, case.batch_id) == ("in_publicity", batch.id)
        steps = await uow.cases.history(case.id)
        assert [(s.action, s.actor, s.reason) for s in steps] == [
            ("publicity_started", "province-user", str(batch.id))
        ]
    (notice,) = uow.notices.rows.values()
    assert (notice.kind, notice.batch_id, notice.starts_on, notice.ends_on) == (
        "publicity",
        batch.id,
        batch.starts_on,
        batch.ends_on,
    )
    listed = await uow.notices.listed_on(notice.id)
    assert [e.uscc for e in listed] == [first.uscc, second.uscc]
    (event,) = uow.outbox.events
    assert isinstance(event, PublicityStarted)
    assert (event.batch_id, event.starts_on, event.ends_on) == (
        str(batch.id),
        batch.starts_on,
        batch.ends_on,
    )
    # in the batch's order (region, then USCC), not the request's
    assert [(e.case_id, e.uscc) for e in event.entries] == [
        (str(first.id), first.uscc),
        (str(second.id), second.uscc),
    ]
    (audit,) = uow.audit.records
    assert (audit.action, audit.entity_id) == ("publicity_batch.start", str(batch.id))
    assert audit.after is not None
    assert audit.after["cases"] == 2


async def test_without_a_start_date_publicity_starts_on_the_next_working_day(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    case = uow.cases.add(case_row(3, C.APPROVED))
    batch = await start(uow, [case.id], None)  # 2026-05-04 is a holiday
    assert batch.starts_on == date(2026, 5, 6)


async def test_unknown_cases_and_cases_of_another_year_are_named_and_nothing_is_written(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    known = uow.cases.add(case_row(4, C.APPROVED))
    last_year = uow.cases.add(case_row(5, C.APPROVED, year=2025))
    with pytest.raises(UnknownCases) as refused:
        await start(uow, [known.id, uuid.uuid4(), last_year.id], date(2026, 5, 6))
    assert [d["loc"] for d in refused.value.details] == [
        ["body", "case_ids", 1],
        ["body", "case_ids", 2],
    ]
    assert known.status == "approved"
    assert nothing_written(uow)


async def test_only_approved_cases_in_no_batch_are_taken_in(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    other = uow.batches.add(batch_row())
    ready = uow.cases.add(case_row(6, C.APPROVED))
    pending = uow.cases.add(case_row(7))
    in_other_batch = uow.cases.add(case_row(8, C.APPROVED, batch=other))
    with pytest.raises(CasesNotApproved) as refused:
        await start(uow, [ready.id, pending.id, in_other_batch.id], date(2026, 5, 6))
    assert [(d["loc"][-1], d["type"]) for d in refused.value.details] == [
        (1, "not_approved"),
        (2, "not_approved"),
    ]
    assert (ready.status, ready.batch_id) == ("approved", None)
    assert nothing_written(uow, other)


async def test_a_publicity_ending_after_the_year_close_is_refused_naming_the_latest_start(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    case = uow.cases.add(case_row(9, C.APPROVED))
    with pytest.raises(PublicityPastYearClose) as refused:
        await start(uow, [case.id], date(2026, 12, 28))
    (detail,) = refused.value.details
    assert detail["loc"] == ["body", "starts_on"]
    assert detail.get("year_closes_on") == "2026-12-31"
    assert case.status == "approved"
    assert nothing_written(uow)


async def test_a_start_date_far_from_the_year_is_bad_input(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    case = uow.cases.add(case_row(10, C.APPROVED))
    with pytest.raises(InvalidInput) as refused:
        await start(uow, [case.id], date(2030, 5, 6))
    assert [d["loc"] for d in refused.value.details] == [["body", "starts_on"]]
    assert nothing_written(uow)


async def test_the_announcement_registers_clear_cases_and_holds_objected_ones(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    batch = uow.batches.add(batch_row())
    second = uow.cases.add(case_row(12, C.IN_PUBLICITY, batch=batch))
    first = uow.cases.add(case_row(11, C.IN_PUBLICITY, batch=batch))
    held = uow.cases.add(case_row(13, C.HELD, batch=batch))
    announced, registered, holding = await announce(uow, batch.id)
    assert (announced is batch, registered, holding) == (True, 2, 1)
    assert (batch.status, batch.announced_on, batch.announced_at) == ("announced", ENDED, AT)
    # serials in region, then USCC order
    assert (first.status, first.registration_number) == ("registered", "2026150105A0000001")
    assert (second.status, second.registration_number) == ("registered", "2026150105A0000002")
    assert (held.status, held.registration_number) == ("held", None)
    summary, *issued = uow.outbox.events
    assert isinstance(summary, PublicityAnnounced)
    assert [(e.uscc, e.number) for e in summary.registered] == [
        (first.uscc, "2026150105A0000001"),
        (second.uscc, "2026150105A0000002"),
    ]
    assert [(h.uscc, h.application_id) for h in summary.held] == [
        (held.uscc, str(held.application_id))
    ]
    assert all(isinstance(e, RegistrationIssued) for e in issued)
    assert [e.number for e in issued if isinstance(e, RegistrationIssued)] == [
        "2026150105A0000001",
        "2026150105A0000002",
    ]
    (notice,) = uow.notices.rows.values()
    assert (notice.kind, notice.published_on) == ("announcement", ENDED)
    listed = await uow.notices.listed_on(notice.id)
    assert [e.registration_number for e in listed] == ["2026150105A0000001", "2026150105A0000002"]
    (audit,) = uow.audit.records
    assert (audit.action, audit.before) == ("publicity_batch.announce", {"status": "in_publicity"})
    assert audit.after == {
        "status": "announced",
        "registered": 2,
        "held": 1,
        "numbers": ["2026150105A0000001", "2026150105A0000002"],
    }


@pytest.mark.parametrize(
    ("status", "today", "refusal"),
    [
        (BatchStatus.ANNOUNCED, ENDED, BatchAlreadyAnnounced),
        (BatchStatus.IN_PUBLICITY, date(2026, 6, 5), PublicityNotEnded),  # its last day
        (BatchStatus.IN_PUBLICITY, date(2027, 1, 4), YearClosed),
    ],
)
async def test_an_announcement_is_refused_and_registers_nothing(
    uow: InMemoryReviewUnitOfWork,
    status: BatchStatus,
    today: date,
    refusal: type[Exception],
) -> None:
    batch = uow.batches.add(batch_row(status))
    case: ReviewCaseRow = uow.cases.add(case_row(14, C.IN_PUBLICITY, batch=batch))
    with pytest.raises(refusal):
        await announce(uow, batch.id, today)
    assert (batch.status, case.status) == (status.value, "in_publicity")
    assert uow.registry.rows == {}
    assert nothing_written(uow, batch)


async def test_announcing_an_unknown_batch_is_not_found(uow: InMemoryReviewUnitOfWork) -> None:
    with pytest.raises(BatchNotFound):
        await announce(uow, uuid.uuid4())
