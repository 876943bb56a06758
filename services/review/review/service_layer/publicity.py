"""Publicity (公示) and announcement (公告): the province puts approved cases into a batch,
the public sees the list for N working days, then the batch is announced and every clear
case is registered — numbers, registry rows and events in one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from review.adapters import notices_store
from review.adapters.tables import PublicityBatchRow
from review.domain.errors import (
    BatchAlreadyAnnounced,
    BatchNotFound,
    CasesNotApproved,
    PublicityNotEnded,
    PublicityPastYearClose,
    StartTooLate,
    UnknownCases,
    YearClosed,
)
from review.domain.publicity import default_start, may_announce, publicity_ends_on
from review.domain.status import BatchStatus, CaseStatus, move_batch, move_cases
from review.domain.year_close import ends_in_time, latest_start, may_issue_on
from review.service_layer.registry import register
from review.service_layer.unit_of_work import ReviewUnitOfWork
from shared.kernel.calendar import WorkingDayCalendar
from shared.kernel.errors import InvalidInput, field_error
from shared.kernel.events.envelope import EventPayload
from shared.kernel.events.payloads.review import (
    HeldEntry,
    PublicityAnnounced,
    PublicityEntry,
    PublicityStarted,
    RegisteredEntry,
)
from shared.kernel.policy.model import Policy
from shared.platform.auth.principal import Principal


async def start_publicity(
    uow: ReviewUnitOfWork,
    principal: Principal,
    *,
    year: int,
    case_ids: Sequence[uuid.UUID],
    starts_on: date | None,
    policy: Policy,
    calendar: WorkingDayCalendar,
    today: date,
    now: datetime,
) -> PublicityBatchRow:
    start = starts_on if starts_on is not None else default_start(today, calendar).value
    if abs(start.year - year) > 1:
        raise InvalidInput(
            details=[
                field_error(
                    ["body", "starts_on"],
                    f"公示开始日期{start}与评价年度{year}不符",
                    f"starts_on {start} is not near evaluation year {year}",
                    "starts_on",
                )
            ]
        )
    ends = publicity_ends_on(start, policy.publicity, calendar)
    close = policy.year_closes_on
    if not ends_in_time(ends.value, close):
        # contract § Round 2 "Year close": refused, naming the latest possible start date.
        latest = latest_start(close, policy.publicity, calendar)
        raise PublicityPastYearClose(
            f"公示期至{ends.value}结束，晚于{year}年度关闭日{close}前可公告的期限；"
            f"最晚开始日期为{latest}",
            f"The publicity would end on {ends.value}, too late to announce by the close of "
            f"{year} on {close}; the latest possible start date is {latest}",
            details=[
                StartTooLate(
                    **field_error(
                        ["body", "starts_on"],
                        f"最晚开始日期为{latest}",
                        f"the latest possible start date is {latest}",
                        "publicity_past_year_close",
                    ),
                    latest_starts_on=None if latest is None else latest.isoformat(),
                    year_closes_on=close.isoformat(),
                )
            ],
        )
    provisional = ends.provisional or calendar.day(start).provisional
    rows = await uow.batches.lock_cases(case_ids)
    found = {r.id: r for r in rows if r.year == year}
    unknown = [i for i, cid in enumerate(case_ids) if cid not in found]
    if unknown:
        raise UnknownCases(
            details=[
                field_error(
                    ["body", "case_ids", i],
                    "案件不存在或不属于该年度",
                    "no such case in this year",
                    "unknown_case",
                )
                for i in unknown
            ]
        )
    not_ready = [
        i
        for i, cid in enumerate(case_ids)
        if found[cid].status != CaseStatus.APPROVED or found[cid].batch_id is not None
    ]
    if not_ready:
        raise CasesNotApproved(
            details=[
                field_error(
                    ["body", "case_ids", i],
                    f"案件状态为{found[case_ids[i]].status}",
                    f"the case is {found[case_ids[i]].status}",
                    "not_approved",
                )
                for i in not_ready
            ]
        )
    batch = PublicityBatchRow(
        id=uuid.uuid4(),
        year=year,
        starts_on=start,
        ends_on=ends.value,
        ends_on_provisional=provisional,
        status=BatchStatus.IN_PUBLICITY.value,
        created_by=principal.sub,
        created_at=now,
    )
    await uow.batches.insert(batch)
    # Set-based: the table is checked once for (approved, in_publicity), not per row; every
    # case was checked to be approved and in no batch above.
    move_cases({CaseStatus.APPROVED}, CaseStatus.IN_PUBLICITY)
    await uow.batches.move_in(case_ids, batch.id, now=now, actor=principal.sub)
    notice = await uow.notices.add(
        kind=notices_store.PUBLICITY,
        year=year,
        title=f"{year}年度科技型中小企业入库登记公示名单（{start}至{ends.value}）",
        title_en=f"S&T SMEs of {year} in publicity ({start} to {ends.value})",
        published_on=start,
        starts_on=start,
        ends_on=ends.value,
        batch_id=batch.id,
        now=now,
    )
    await uow.notices.list_batch(notice, batch.id)
    await uow.outbox.add(
        PublicityStarted(
            batch_id=str(batch.id),
            year=year,
            starts_on=start,
            ends_on=ends.value,
            entries=[
                PublicityEntry(
                    uscc=r.uscc,
                    name=r.enterprise_name,
                    agency=r.agency,
                    case_id=str(r.id),
                    application_id=str(r.application_id),
                )
                for r in rows
            ],
        )
    )
    await uow.audit.record(
        "publicity_batch.start",
        "publicity_batch",
        str(batch.id),
        after={
            "year": year,
            "starts_on": start,
            "ends_on": ends.value,
            "provisional": provisional,
            "cases": len(case_ids),
        },
    )
    return batch


async def announce(
    uow: ReviewUnitOfWork,
    principal: Principal,
    batch_id: uuid.UUID,
    *,
    policy: Policy,
    today: date,
    now: datetime,
) -> tuple[PublicityBatchRow, int, int]:
    """Register every clear case of the batch (held ones wait for their objection).
    Returns the batch and the numbers registered and held."""
    batch = await uow.batches.get(batch_id, for_update=True)
    if batch is None:
        raise BatchNotFound()
    if batch.status == BatchStatus.ANNOUNCED:
        raise BatchAlreadyAnnounced()
    if not may_announce(today, batch.ends_on):
        raise PublicityNotEnded(
            message=f"公示期至{batch.ends_on}结束，之后方可公告",
            message_en=f"The publicity period ends on {batch.ends_on}; announce after that",
        )
    if not may_issue_on(today, policy.year_closes_on):
        # A batch that ended in time but was not announced by the close: issuing now would
        # hand out numbers already expired. The closing job closes its cases.
        raise YearClosed(
            f"{batch.year}年度已于{policy.year_closes_on}关闭，不再发放登记编号",
            f"The evaluation year {batch.year} closed on {policy.year_closes_on}; "
            "no more numbers are issued for it",
        )
    clear = await uow.batches.clear_cases(batch.id)
    held = await uow.batches.held_cases(batch.id)
    issued = await register(
        uow,
        cases=clear,
        year=batch.year,
        batch_id=batch.id,
        policy=policy,
        registered_on=today,
        now=now,
        actor=principal.sub,
    )
    batch.status = move_batch(BatchStatus(batch.status), BatchStatus.ANNOUNCED).value
    batch.announced_on = today
    batch.announced_at = now
    notice = await uow.notices.add(
        kind=notices_store.ANNOUNCEMENT,
        year=batch.year,
        title=f"{batch.year}年度科技型中小企业入库登记公告",
        title_en=f"Announcement of registered S&T SMEs of {batch.year}",
        published_on=today,
        batch_id=batch.id,
        now=now,
    )
    await uow.notices.list_registrations(notice, [e.number for e in issued])
    events: list[EventPayload] = [
        PublicityAnnounced(
            batch_id=str(batch.id),
            year=batch.year,
            registered=[
                RegisteredEntry(uscc=e.uscc, number=e.number, application_id=e.application_id)
                for e in issued
            ],
            held=[HeldEntry(uscc=u, application_id=str(a)) for u, a in held],
        ),
        *issued,
    ]
    await uow.outbox.add_many(events)
    await uow.audit.record(
        "publicity_batch.announce",
        "publicity_batch",
        str(batch.id),
        before={"status": BatchStatus.IN_PUBLICITY.value},
        after={
            "status": batch.status,
            "registered": len(issued),
            "held": len(held),
            "numbers": [issued[0].number, issued[-1].number] if issued else [],
        },
    )
    return batch, len(issued), len(held)
