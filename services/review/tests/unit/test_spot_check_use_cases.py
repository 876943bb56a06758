"""The year-end spot check (集中抽查) against the in-memory unit of work: what a draw samples
and records, who may record a result and how often, the event a failure sends to
supervision and the audit records, without a database."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest

from review.adapters.in_memory import InMemoryReviewUnitOfWork
from review.adapters.registry_store import ToRegister
from review.adapters.tables import SpotCheckRow
from review.domain.errors import NothingToSample, NotInSample, ResultAlreadyRecorded
from review.domain.status import CaseStatus
from review.service_layer import spot_checks
from shared.kernel.events.payloads.review import SpotCheckFailed
from shared.kernel.policy.loader import shipped_policy
from shared.platform.auth.principal import Principal, Role

from .rows import AGENCY, AT, batch_row, case_row

PROVINCE = Principal(sub="province-user", role=Role.PROVINCE, org="150000")
ME = Principal(sub="reviewer-1", role=Role.AGENCY, org=AGENCY)
ANOTHER_AGENCY = Principal(sub="reviewer-2", role=Role.AGENCY, org="150200")
POLICY = shipped_policy(2026)


@pytest.fixture
async def uow() -> InMemoryReviewUnitOfWork:
    """Three registrations of 2026 (two of agency 150100, one of 150200), one revoked."""
    uow = InMemoryReviewUnitOfWork()
    batch = uow.batches.add(batch_row())
    cases = [
        uow.cases.add(case_row(n, CaseStatus.IN_PUBLICITY, batch=batch, agency=agency))
        for n, agency in ((1, AGENCY), (2, AGENCY), (3, "150200"), (4, AGENCY))
    ]
    await uow.registry.insert(
        year=2026,
        province="150000",
        batch_id=batch.id,
        registered_on=date(2026, 6, 20),
        valid_until=date(2026, 12, 31),
        now=AT,
        actor="province",
        cases=[
            ToRegister(
                c.id,
                c.application_id,
                c.uscc,
                c.enterprise_name,
                c.region_code,
                c.industry_code,
                c.agency,
            )
            for c in cases
        ],
        numbered=[(n, f"2026150105A{n:07d}") for n in range(1, 5)],
    )
    uow.registry.rows["2026150105A0000004"].status = "revoked"
    return uow


async def draw(
    uow: InMemoryReviewUnitOfWork, ratio: Decimal | None = None, year: int = 2026
) -> SpotCheckRow:
    return await spot_checks.draw(
        uow, PROVINCE, year=year, ratio=ratio, seed="2026-year-end", policy=POLICY, now=AT
    )


async def test_a_draw_samples_valid_registrations_at_least_one_per_agency(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    check = await draw(uow)  # the policy's 10 % of 3 is none, but every agency gets one
    assert (check.year, check.seed, check.ratio, check.population) == (
        2026,
        "2026-year-end",
        Decimal("0.10"),
        3,
    )
    items = [i for (c, _), i in uow.spot_checks.items.items() if c == check.id]
    assert check.sample_size == len(items) == 2
    assert sorted(i.agency for i in items) == [AGENCY, "150200"]
    assert "2026150105A0000004" not in {i.registration_number for i in items}  # revoked
    assert all(i.result is None for i in items)
    (audit,) = uow.audit.records
    assert (audit.action, audit.entity_id) == ("spot_check.draw", str(check.id))
    assert audit.after is not None
    assert (audit.after["seed"], audit.after["population"]) == ("2026-year-end", 3)
    assert sorted(audit.after["sample"]) == sorted(i.registration_number for i in items)
    assert uow.outbox.events == []


async def test_the_same_seed_draws_the_same_sample(uow: InMemoryReviewUnitOfWork) -> None:
    first, again = await draw(uow, Decimal("0.5")), await draw(uow, Decimal("0.5"))

    def sample(check: SpotCheckRow) -> list[str]:
        return sorted(n for (c, n) in uow.spot_checks.items if c == check.id)

    assert sample(first) == sample(again)


async def test_a_year_without_registrations_has_nothing_to_sample(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    with pytest.raises(NothingToSample):
        await draw(uow, year=2025)
    assert uow.spot_checks.rows == {}
    assert uow.audit.records == []


async def test_a_failed_check_goes_to_supervision_once(uow: InMemoryReviewUnitOfWork) -> None:
    check = await draw(uow, Decimal("1"))
    item = await spot_checks.record_result(
        uow, ME, check.id, number="2026150105A0000001", result="failed", notes="无研发", now=AT
    )
    assert (item.result, item.notes, item.recorded_by, item.recorded_at) == (
        "failed",
        "无研发",
        "reviewer-1",
        AT,
    )
    (event,) = uow.outbox.events
    assert isinstance(event, SpotCheckFailed)
    assert (event.spot_check_id, event.number, event.uscc, event.year, event.agency) == (
        str(check.id),
        "2026150105A0000001",
        item.uscc,
        2026,
        AGENCY,
    )
    audit = uow.audit.records[-1]
    assert (audit.action, audit.entity_id, audit.after) == (
        "spot_check.result",
        f"{check.id}/2026150105A0000001",
        {"result": "failed", "notes": "无研发"},
    )
    with pytest.raises(ResultAlreadyRecorded):
        await spot_checks.record_result(
            uow, ME, check.id, number="2026150105A0000001", result="passed", notes=None, now=AT
        )
    assert (item.result, len(uow.outbox.events), len(uow.audit.records)) == ("failed", 1, 2)


async def test_a_passed_check_is_recorded_without_an_event(
    uow: InMemoryReviewUnitOfWork,
) -> None:
    check = await draw(uow, Decimal("1"))
    item = await spot_checks.record_result(
        uow, ME, check.id, number="2026150105A0000002", result="passed", notes=None, now=AT
    )
    assert item.result == "passed"
    assert uow.outbox.events == []
    assert uow.audit.records[-1].action == "spot_check.result"


@pytest.mark.parametrize(
    ("principal", "number"),
    [
        (ANOTHER_AGENCY, "2026150105A0000001"),  # not its registration
        (ME, "2026150105A0000004"),  # revoked: not in the sample
        (ME, "2026150105A0000009"),
    ],
)
async def test_only_the_registrations_agency_records_a_sampled_result(
    uow: InMemoryReviewUnitOfWork, principal: Principal, number: str
) -> None:
    check = await draw(uow, Decimal("1"))
    with pytest.raises(NotInSample):
        await spot_checks.record_result(
            uow, principal, check.id, number=number, result="failed", notes=None, now=AT
        )
    with pytest.raises(NotInSample):
        await spot_checks.record_result(
            uow, ME, uuid.uuid4(), number=number, result="failed", notes=None, now=AT
        )
    assert all(i.result is None for i in uow.spot_checks.items.values())
    assert uow.outbox.events == []
    assert [a.action for a in uow.audit.records] == ["spot_check.draw"]
