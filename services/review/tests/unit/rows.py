"""Rows the repository contract and the use-case tests start from: a review case and a
publicity batch with every column the table requires (valid USCCs, the shipped 2026 year),
and a case registered in an in-memory unit of work."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from review.adapters.in_memory import InMemoryReviewUnitOfWork
from review.adapters.registry_store import ToRegister
from review.adapters.tables import PublicityBatchRow, ReviewCaseRow
from review.domain.status import BatchStatus, CaseStatus
from shared.kernel.codes.uscc import with_check_digit

AT = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)  # inside the shipped 2026 window
AGENCY = "150100"  # 呼和浩特市科技局, routed for region 150105


def uscc(n: int) -> str:
    return with_check_digit(f"91150105MA{n:07d}")


def case_row(
    n: int,
    status: CaseStatus = CaseStatus.PENDING,
    *,
    batch: PublicityBatchRow | None = None,
    onsite_triggers: list[str] | None = None,
    agency: str = AGENCY,
    year: int = 2026,
) -> ReviewCaseRow:
    return ReviewCaseRow(
        id=uuid.uuid4(),
        application_id=uuid.uuid4(),
        year=year,
        uscc=uscc(n),
        enterprise_name=f"内蒙古测试科技{n}有限公司",
        region_code="150105",
        industry_code="I6513",
        agency=agency,
        status=status.value,
        round=1,
        form={},
        score={},
        self_evaluation={},
        policy_version=1,
        first_time=True,
        submitted_at=AT,
        due_on=date(2026, 7, 14),
        due_on_provisional=False,
        onsite_triggers=onsite_triggers or [],
        batch_id=batch.id if batch is not None else None,
        documents=[],
    )


def batch_row(
    status: BatchStatus = BatchStatus.IN_PUBLICITY, year: int = 2026
) -> PublicityBatchRow:
    return PublicityBatchRow(
        id=uuid.uuid4(),
        year=year,
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 6, 5),
        ends_on_provisional=False,
        status=status.value,
        created_by="province",
        created_at=AT,
    )


def number(n: int) -> str:
    """The registration number `registered` gives case `n`."""
    return f"2026150105A{n:07d}"


async def registered(
    uow: InMemoryReviewUnitOfWork, n: int = 1, *, registered_on: date = date(2026, 6, 20)
) -> ReviewCaseRow:
    """Case `n`, in publicity, registered as `number(n)` (valid to the end of 2026)."""
    batch = uow.batches.add(batch_row())
    case = uow.cases.add(case_row(n, CaseStatus.IN_PUBLICITY, batch=batch))
    await uow.registry.insert(
        year=2026,
        province="150000",
        batch_id=batch.id,
        registered_on=registered_on,
        valid_until=date(2026, 12, 31),
        now=AT,
        actor="province",
        cases=[
            ToRegister(
                case.id,
                case.application_id,
                case.uscc,
                case.enterprise_name,
                case.region_code,
                case.industry_code,
                case.agency,
            )
        ],
        numbered=[(n, number(n))],
    )
    return case
