"""The enterprise profile use case against the in-memory unit of work (milliseconds):
registered once, then updated with the earlier profile in the audit record; only one's own;
routed to its agency; a USCC with a wrong check digit accepted and flagged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from intake.adapters.in_memory import InMemoryIntakeUnitOfWork
from intake.domain.errors import NotYourEnterprise
from intake.service_layer.enterprises import register_profile
from shared.kernel.codes.uscc import with_check_digit
from shared.kernel.evaluation.samples import sample_form
from shared.platform.auth.principal import Principal, Role

NOW = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)
USCC = with_check_digit("91150105MA0Q40001")
ME = Principal(sub="u1", role=Role.ENTERPRISE, uscc=USCC)


def _profile(uscc: str = USCC, **changes: str) -> object:
    return sample_form(
        {"enterprise.uscc": uscc, **{f"enterprise.{k}": v for k, v in changes.items()}}
    ).enterprise


async def test_a_profile_is_registered_then_updated_with_its_history_audited() -> None:
    uow = InMemoryIntakeUnitOfWork()
    row, created = await register_profile(uow, ME, _profile(), NOW)  # type: ignore[arg-type]
    assert created
    assert (row.uscc, row.agency, row.uscc_checksum_ok, row.created_at) == (
        USCC,
        "150100",
        True,
        NOW,
    )
    assert await uow.enterprises.get(USCC) is row

    later = NOW + timedelta(days=1)
    renamed = _profile(name="内蒙古新名称科技有限公司")
    again, created = await register_profile(uow, ME, renamed, later)  # type: ignore[arg-type]
    assert not created
    assert again is row
    assert (row.name, row.created_at, row.updated_at) == ("内蒙古新名称科技有限公司", NOW, later)
    first, second = uow.audit.records
    assert (first.action, first.before) == ("enterprise.register", None)
    assert second.action == "enterprise.update"
    assert second.before["name"] != second.after["name"]


async def test_only_ones_own_profile_and_a_wrong_check_digit_is_flagged() -> None:
    uow = InMemoryIntakeUnitOfWork()
    other = with_check_digit("91150105MA0Q40002")
    with pytest.raises(NotYourEnterprise):
        await register_profile(uow, ME, _profile(other), NOW)  # type: ignore[arg-type]
    assert (uow.enterprises.rows, uow.audit.records) == ({}, [])

    wrong_digit = USCC[:-1] + ("0" if USCC[-1] != "0" else "1")
    holder = Principal(sub="u3", role=Role.ENTERPRISE, uscc=wrong_digit)
    row, _ = await register_profile(uow, holder, _profile(wrong_digit), NOW)  # type: ignore[arg-type]
    assert not row.uscc_checksum_ok
