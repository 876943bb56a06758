"""Year-end spot checks (集中抽查): the province draws a reproducible sample, the agencies
record results, a failed check starts a revocation in supervision (event)."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from decimal import Decimal

from review.adapters.tables import SpotCheckItemRow, SpotCheckRow
from review.domain.errors import NothingToSample, NotInSample, ResultAlreadyRecorded
from review.domain.spot_check import Registered, draw_sample
from review.service_layer.unit_of_work import ReviewUnitOfWork
from review.views import SPOT_CHECK_ITEMS
from shared.kernel.events.payloads.review import SpotCheckFailed
from shared.kernel.policy.model import Policy
from shared.platform.auth.principal import Principal


async def draw(
    uow: ReviewUnitOfWork,
    principal: Principal,
    *,
    year: int,
    ratio: Decimal | None,
    seed: str | None,
    policy: Policy,
    now: datetime,
) -> SpotCheckRow:
    population = await uow.spot_checks.population(year)
    if not population:
        raise NothingToSample()
    used_ratio = ratio if ratio is not None else policy.spot_check.ratio
    used_seed = seed if seed is not None else secrets.token_hex(8)  # recorded: reproducible
    sample = draw_sample(
        [Registered(number, agency) for number, agency, _, _ in population],
        used_ratio,
        policy.spot_check.minimum_per_agency,
        used_seed,
    )
    details = {number: (uscc, name) for number, _, uscc, name in population}
    check = SpotCheckRow(
        id=uuid.uuid4(),
        year=year,
        seed=used_seed,
        ratio=used_ratio,
        population=len(population),
        sample_size=len(sample),
        created_by=principal.sub,
        created_at=now,
    )
    await uow.spot_checks.add(
        check,
        [
            SpotCheckItemRow(
                spot_check_id=check.id,
                registration_number=r.number,
                uscc=details[r.number][0],
                enterprise_name=details[r.number][1],
                agency=r.agency,
            )
            for r in sample
        ],
    )
    await uow.audit.record(
        "spot_check.draw",
        "spot_check",
        str(check.id),
        after={
            "year": year,
            "seed": used_seed,
            "ratio": used_ratio,
            "population": len(population),
            "sample": [r.number for r in sample],
        },
    )
    return check


async def record_result(
    uow: ReviewUnitOfWork,
    principal: Principal,
    spot_check_id: uuid.UUID,
    *,
    number: str,
    result: str,
    notes: str | None,
    now: datetime,
) -> SpotCheckItemRow:
    """The registration's agency records the result; a failure goes to supervision."""
    item = SPOT_CHECK_ITEMS.require(
        principal, await uow.spot_checks.lock_item(spot_check_id, number), NotInSample()
    )
    if item.result is not None:
        raise ResultAlreadyRecorded()
    item.result, item.notes = result, notes
    item.recorded_at, item.recorded_by = now, principal.sub
    if result == "failed":
        year = await uow.spot_checks.year_of(spot_check_id)
        await uow.outbox.add(
            SpotCheckFailed(
                spot_check_id=str(spot_check_id),
                number=number,
                uscc=item.uscc,
                year=year,
                agency=item.agency,
                notes=notes,
            )
        )
    await uow.audit.record(
        "spot_check.result",
        "spot_check_item",
        f"{spot_check_id}/{number}",
        after={"result": result, "notes": notes},
    )
    return item
