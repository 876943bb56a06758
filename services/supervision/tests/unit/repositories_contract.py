"""The behaviour every implementation of supervision's repositories (`cases`, `revocations`,
`registry`, `credit`) must have (eventsourcing's abstract test case): subclassed with the in-memory
implementation in tests/unit/test_in_memory_repositories.py and with PostgreSQL in
tests/integration/test_sql_repositories.py. A subclass provides the `store` fixture."""

from __future__ import annotations

import uuid
from contextlib import AbstractAsyncContextManager
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

import pytest

from shared.kernel.codes.uscc import with_check_digit
from supervision.adapters.tables import (
    CaseRow,
    CaseStepRow,
    CreditEntryRow,
    PublicityBatchRow,
    PublicityEntryRow,
    RegistrationRow,
    RevocationRow,
)
from supervision.domain.cases import CaseStatus
from supervision.domain.errors import CaseStateConflict, RevocationConflict
from supervision.domain.revocation import RevocationStatus
from supervision.service_layer.unit_of_work import SupervisionUnitOfWork

C = CaseStatus
R = RevocationStatus
AT = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


class Store(Protocol):
    def transaction(self) -> AbstractAsyncContextManager[SupervisionUnitOfWork]: ...

    async def register(self, registration: RegistrationRow) -> None:
        """Store a registration of the local registry view."""

    async def publish(self, batch: PublicityBatchRow, *entries: PublicityEntryRow) -> None:
        """Store a publicity batch with its entries."""


def a_uscc() -> str:
    return with_check_digit(f"91150105MA{uuid.uuid4().int % 10_000_000:07d}")


def a_case(fingerprint: str | None = None, filed_at: datetime = AT) -> CaseRow:
    return CaseRow(
        id=uuid.uuid4(),
        kind="complaint",
        subject_uscc=a_uscc(),
        subject_name=None,
        batch_id=None,
        year=2026,
        agency="150100",
        status=C.RECEIVED.value,
        grounds="拖欠货款",
        facts="多次催要无果",
        evidence=[],
        filer_type="anonymous",
        fingerprint=fingerprint or uuid.uuid4().hex,
        filed_at=filed_at,
        filed_on=filed_at.date(),
        accept_due_on=date(2026, 12, 3),
        accept_due_provisional=False,
        due_on=date(2026, 12, 3),
    )


def a_step(case: CaseRow, step: CaseStatus, note: str | None = None) -> CaseStepRow:
    return CaseStepRow(
        case_id=case.id, at=AT, step=step.value, actor_role="agency", actor_org="150100", note=note
    )


def an_entry(
    uscc: str, reference: str, starts_on: date, ends_on: date | None = None
) -> CreditEntryRow:
    return CreditEntryRow(
        id=uuid.uuid4(),
        uscc=uscc,
        kind="abnormal_operation",
        source="market_supervision",
        reference=reference,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def a_revocation(number: str, ground: str = "serious_fraud") -> RevocationRow:
    return RevocationRow(
        id=uuid.uuid4(),
        number=number,
        uscc=a_uscc(),
        year=2026,
        agency="150100",
        ground=ground,
        basis="弄虚作假",
        status=R.PROPOSED.value,
        origin="agency",
        evidence=[{"type": "agency_proposal", "org": "150100"}],
        proposed_by="150100",
    )


def a_number() -> str:
    return f"2026150105A{uuid.uuid4().int % 10_000_000:07d}"


def a_registration(
    uscc: str, year: int, agency: str, *, status: str = "valid", valid_until: date | None = None
) -> RegistrationRow:
    return RegistrationRow(
        number=f"{year}150105A{uuid.uuid4().int % 10_000_000:07d}",
        uscc=uscc,
        year=year,
        region_code="150105",
        agency=agency,
        enterprise_name=f"企业{year}",
        status=status,
        valid_until=valid_until,
    )


def a_batch(starts_on: date) -> PublicityBatchRow:
    return PublicityBatchRow(
        id=f"batch-{uuid.uuid4().hex[:8]}",
        year=starts_on.year,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=14),
    )


def an_entry_on(batch: PublicityBatchRow, uscc: str, agency: str) -> PublicityEntryRow:
    return PublicityEntryRow(
        batch_id=batch.id, uscc=uscc, name="示例科技", agency=agency, starts_on=batch.starts_on
    )


class RepositoriesContract:
    async def _filed(self, store: Store, case: CaseRow) -> CaseRow:
        async with store.transaction() as uow:
            await uow.cases.add(case, a_step(case, C.RECEIVED))
        return case

    async def _move(self, store: Store, case: CaseRow, target: CaseStatus) -> None:
        async with store.transaction() as uow:
            found = await uow.cases.get(case.id, for_update=True)
            assert found is not None
            await uow.cases.move(found, target, a_step(found, target, note=target.value))

    # -- cases ---------------------------------------------------------------------------

    async def test_a_case_is_stored_with_its_first_step(self, store: Store) -> None:
        case = await self._filed(store, a_case())
        async with store.transaction() as uow:
            found = await uow.cases.get(case.id, for_update=True)
            assert found is not None
            assert (found.id, found.status, found.agency) == (case.id, "received", "150100")
            assert [s.step for s in await uow.cases.steps(case.id)] == ["received"]
            assert await uow.cases.get(uuid.uuid4()) is None
            assert await uow.cases.steps(uuid.uuid4()) == []

    async def test_allowed_moves_are_stored_with_their_steps_in_order(self, store: Store) -> None:
        case = await self._filed(store, a_case())
        for target in (C.ACCEPTED, C.CONCLUDED):
            await self._move(store, case, target)
        async with store.transaction() as uow:
            found = await uow.cases.get(case.id)
            assert found is not None
            assert found.status == "concluded"
            steps = await uow.cases.steps(case.id)
            assert [(s.step, s.note) for s in steps] == [
                ("received", None),
                ("accepted", "accepted"),
                ("concluded", "concluded"),
            ]

    @pytest.mark.parametrize(
        ("start", "target"),
        [(C.RECEIVED, C.CONCLUDED), (C.NOT_ACCEPTED, C.ACCEPTED), (C.CONCLUDED, C.ACCEPTED)],
    )
    async def test_a_refused_move_changes_nothing(
        self, store: Store, start: CaseStatus, target: CaseStatus
    ) -> None:
        case = a_case()
        case.status = start.value
        await self._filed(store, case)
        with pytest.raises(CaseStateConflict):
            await self._move(store, case, target)
        async with store.transaction() as uow:
            found = await uow.cases.get(case.id)
            assert found is not None
            assert found.status == start.value
            assert [s.step for s in await uow.cases.steps(case.id)] == ["received"]

    async def test_a_duplicate_is_the_earliest_filing_in_the_window(self, store: Store) -> None:
        fingerprint = uuid.uuid4().hex
        first = await self._filed(store, a_case(fingerprint, AT))
        await self._filed(store, a_case(fingerprint, AT + timedelta(hours=2)))
        await self._filed(store, a_case())  # another text
        async with store.transaction() as uow:
            await uow.cases.serialise_filings(fingerprint)
            found = await uow.cases.duplicate_of(fingerprint, AT - timedelta(days=1))
            assert found is not None
            assert found.id == first.id
            later = await uow.cases.duplicate_of(fingerprint, AT + timedelta(hours=1))
            assert later is not None
            assert later.id != first.id
            assert await uow.cases.duplicate_of(fingerprint, AT + timedelta(hours=3)) is None
            assert await uow.cases.duplicate_of(uuid.uuid4().hex, AT - timedelta(days=1)) is None

    # -- revocations -------------------------------------------------------------------

    async def _proposed(self, store: Store, revocation: RevocationRow) -> RevocationRow:
        async with store.transaction() as uow:
            await uow.revocations.add(revocation)
        return revocation

    async def _move_revocation(
        self, store: Store, revocation: RevocationRow, target: RevocationStatus
    ) -> None:
        async with store.transaction() as uow:
            found = await uow.revocations.get(revocation.id, for_update=True)
            assert found is not None
            await uow.revocations.move(found, target)

    async def test_a_proposal_is_stored_and_found_by_its_number(self, store: Store) -> None:
        number = a_number()
        first = await self._proposed(store, a_revocation(number, "serious_fraud"))
        await self._proposed(store, a_revocation(number, "failed_spot_check"))
        await self._proposed(store, a_revocation(a_number(), "serious_fraud"))
        async with store.transaction() as uow:
            found = await uow.revocations.get(first.id)
            assert found is not None
            assert (found.number, found.status, found.skip_statement) == (number, "proposed", False)
            assert found.evidence == [{"type": "agency_proposal", "org": "150100"}]
            of_number = await uow.revocations.of_number(number)
            assert sorted(r.ground for r in of_number) == ["failed_spot_check", "serious_fraud"]
            assert await uow.revocations.of_number(number, statuses=["revoked"]) == []
            assert await uow.revocations.get(uuid.uuid4()) is None

    async def test_a_second_open_proposal_on_a_ground_is_refused(self, store: Store) -> None:
        number = a_number()
        await self._proposed(store, a_revocation(number, "serious_fraud"))
        with pytest.raises(RevocationConflict):
            await self._proposed(store, a_revocation(number, "serious_fraud"))
        async with store.transaction() as uow:
            assert len(await uow.revocations.of_number(number)) == 1

    async def test_the_procedure_moves_and_a_refused_move_changes_nothing(
        self, store: Store
    ) -> None:
        revocation = await self._proposed(store, a_revocation(a_number()))
        with pytest.raises(RevocationConflict):
            await self._move_revocation(store, revocation, R.STATED)  # not notified yet
        for target in (R.NOTIFIED, R.STATED, R.REVOKED):
            await self._move_revocation(store, revocation, target)
        with pytest.raises(RevocationConflict):
            await self._move_revocation(store, revocation, R.DISMISSED)
        async with store.transaction() as uow:
            found = await uow.revocations.get(revocation.id)
            assert found is not None
            assert found.status == "revoked"
            revoked = await uow.revocations.of_number(revocation.number, statuses=["revoked"])
            assert [r.id for r in revoked] == [revocation.id]

    async def test_one_procedure_and_one_decision_per_number(self, store: Store) -> None:
        number = a_number()
        first = await self._proposed(store, a_revocation(number, "serious_fraud"))
        second = await self._proposed(store, a_revocation(number, "failed_spot_check"))
        await self._move_revocation(store, first, R.NOTIFIED)
        with pytest.raises(RevocationConflict):
            await self._move_revocation(store, second, R.NOTIFIED)
        await self._move_revocation(store, first, R.REVOKED)
        with pytest.raises(RevocationConflict):
            await self._move_revocation(store, second, R.REVOKED)
        async with store.transaction() as uow:
            found = await uow.revocations.get(second.id)
            assert found is not None
            assert found.status == "proposed"

    # -- the local registry ------------------------------------------------------------

    async def test_registrations_by_number_and_in_force_on_a_day(self, store: Store) -> None:
        uscc = a_uscc()
        current = a_registration(uscc, 2026, "150100")
        expired = a_registration(uscc, 2024, "150100", valid_until=date(2025, 3, 31))
        revoked = a_registration(uscc, 2025, "150100", status="revoked")
        for registration in (current, expired, revoked):
            await store.register(registration)
        async with store.transaction() as uow:
            found = await uow.registry.registration(current.number, for_update=True)
            assert found is not None
            assert (found.uscc, found.year) == (uscc, 2026)
            assert await uow.registry.registration(a_number()) is None
            in_force = await uow.registry.valid_on(uscc, date(2025, 3, 31))
            assert sorted(r.year for r in in_force) == [2024, 2026]
            in_force = await uow.registry.valid_on(uscc, date(2025, 4, 1))
            assert [r.number for r in in_force] == [current.number]
            assert await uow.registry.valid_on(a_uscc(), date(2025, 4, 1)) == []

    async def test_the_newest_registration_and_publicity_entry_route_a_case(
        self, store: Store
    ) -> None:
        uscc = a_uscc()
        await store.register(a_registration(uscc, 2025, "150100"))
        await store.register(a_registration(uscc, 2026, "htz-hohhot"))
        older, newer = a_batch(date(2026, 5, 1)), a_batch(date(2026, 11, 1))
        await store.publish(older, an_entry_on(older, uscc, "150100"))
        await store.publish(newer, an_entry_on(newer, uscc, "htz-hohhot"))
        async with store.transaction() as uow:
            registered = await uow.registry.newest_registration(uscc)
            assert registered is not None
            assert (registered.year, registered.agency) == (2026, "htz-hohhot")
            entry = await uow.registry.newest_publicity_entry(uscc)
            assert entry is not None
            assert entry.batch_id == newer.id
            assert await uow.registry.newest_registration(a_uscc()) is None
            assert await uow.registry.newest_publicity_entry(a_uscc()) is None

    async def test_a_batch_entry_is_found_by_batch_and_enterprise(self, store: Store) -> None:
        uscc = a_uscc()
        batch = a_batch(date(2026, 11, 26))
        await store.publish(batch, an_entry_on(batch, uscc, "150100"))
        async with store.transaction() as uow:
            found, entry = await uow.registry.batch_entry(batch.id, uscc)
            assert found is not None
            assert entry is not None
            assert (found.ends_on, entry.agency) == (date(2026, 12, 10), "150100")
            found, entry = await uow.registry.batch_entry(batch.id, a_uscc())
            assert (found is not None, entry) == (True, None)
            assert await uow.registry.batch_entry("no-such-batch", uscc) == (None, None)

    async def test_issued_registrations_are_upserted_and_a_locked_read_sees_them(
        self, store: Store
    ) -> None:
        uscc = a_uscc()
        known = a_registration(uscc, 2025, "150100", status="revoked")
        await store.register(known)
        new_number = a_number()

        def row(number: str, year: int) -> dict[str, Any]:
            return {
                "number": number,
                "status": "valid",
                "uscc": uscc,
                "year": year,
                "region_code": "150105",
                "agency": "htz-hohhot",
                "enterprise_name": "新名称",
                "registered_on": date(2026, 5, 1),
                "valid_until": date(2029, 12, 31),
            }

        facts = ("uscc", "year", "region_code", "agency", "enterprise_name", "valid_until")
        async with store.transaction() as uow:
            await uow.registry.registration(known.number)  # a copy the session may hold
            rows = [row(known.number, 2025), row(new_number, 2026)]
            await uow.registry.upsert_registrations(rows, update=facts)
            updated = await uow.registry.registration(known.number, for_update=True)
            assert updated is not None
            # The facts follow the event; the status and the unlisted columns do not.
            assert (updated.status, updated.agency, updated.enterprise_name) == (
                "revoked",
                "htz-hohhot",
                "新名称",
            )
            assert updated.registered_on is None
        async with store.transaction() as uow:
            made = await uow.registry.registration(new_number)
            assert made is not None
            assert (made.status, made.year, made.valid_until) == ("valid", 2026, date(2029, 12, 31))

    async def test_a_registration_is_upserted_by_number(self, store: Store) -> None:
        uscc, number = a_uscc(), a_number()
        revoked = {"status": "revoked", "revoked_on": date(2026, 9, 1), "revoked_ground": "fraud"}
        values = {"uscc": uscc, "year": 2026, "region_code": "150105", "agency": "150100"}
        async with store.transaction() as uow:  # a revocation before its registration
            await uow.registry.upsert_registration(number, {**values, **revoked}, update=revoked)
        async with store.transaction() as uow:
            await uow.registry.upsert_registration(
                number, {**values, "status": "valid"}, update={"enterprise_name": "示例科技"}
            )
        async with store.transaction() as uow:
            found = await uow.registry.registration(number)
            assert found is not None
            assert (found.status, found.revoked_on, found.enterprise_name) == (
                "revoked",
                date(2026, 9, 1),
                "示例科技",
            )

    async def test_a_publicity_batch_and_its_entries_are_upserted(self, store: Store) -> None:
        uscc, batch_id = a_uscc(), f"batch-{uuid.uuid4().hex[:8]}"
        period = {"year": 2026, "starts_on": date(2026, 11, 1), "ends_on": date(2026, 11, 15)}
        entry = {
            "batch_id": batch_id,
            "uscc": uscc,
            "name": "示例科技",
            "agency": "150100",
            "case_id": None,
            "starts_on": date(2026, 11, 1),
        }
        async with store.transaction() as uow:
            await uow.registry.upsert_batch(batch_id, period)
            await uow.registry.upsert_entries([entry])
        async with store.transaction() as uow:  # redelivered with a corrected period
            await uow.registry.upsert_batch(batch_id, {**period, "ends_on": date(2026, 11, 16)})
            await uow.registry.upsert_entries([{**entry, "agency": "htz-hohhot"}])
        async with store.transaction() as uow:
            batch, found = await uow.registry.batch_entry(batch_id, uscc)
            assert batch is not None
            assert found is not None
            assert (batch.ends_on, found.agency, found.name) == (
                date(2026, 11, 16),
                "htz-hohhot",
                "示例科技",
            )

    # -- the credit archive ------------------------------------------------------------

    async def test_a_credit_entry_is_stored_once_per_reference(self, store: Store) -> None:
        uscc = a_uscc()
        async with store.transaction() as uow:
            assert await uow.credit.add_once(an_entry(uscc, "r-1", date(2026, 3, 1))) is True
            assert await uow.credit.add_once(an_entry(uscc, "r-1", date(2026, 4, 1))) is False
            assert await uow.credit.add_once(an_entry(uscc, "r-2", date(2026, 4, 1))) is True
        async with store.transaction() as uow:
            found = await uow.credit.by_reference(
                uscc, "market_supervision", "abnormal_operation", "r-1"
            )
            assert found is not None
            assert (found.starts_on, found.ends_on) == (date(2026, 3, 1), None)
            assert await uow.credit.by_reference(uscc, "tax", "abnormal_operation", "r-1") is None

    async def test_the_entries_that_start_joint_punishment(self, store: Store) -> None:
        uscc = a_uscc()
        listed = an_entry(uscc, "listed", date(2026, 3, 1))
        tax = an_entry(uscc, "tax", date(2026, 3, 1))
        tax.kind, tax.source = "major_tax_violation", "tax"
        async with store.transaction() as uow:
            for entry in (listed, tax, an_entry(a_uscc(), "other", date(2026, 3, 1))):
                await uow.credit.add_once(entry)
        async with store.transaction() as uow:
            assert [e.reference for e in await uow.credit.punishable(uscc)] == ["listed"]

    async def test_which_enterprises_have_an_entry_that_starts_joint_punishment(
        self, store: Store
    ) -> None:
        listed, taxed, clean = a_uscc(), a_uscc(), a_uscc()
        tax = an_entry(taxed, "tax", date(2026, 3, 1))
        tax.kind, tax.source = "major_tax_violation", "tax"
        async with store.transaction() as uow:
            await uow.credit.add_once(an_entry(listed, "a", date(2026, 3, 1)))
            await uow.credit.add_once(an_entry(listed, "b", date(2026, 4, 1)))
            await uow.credit.add_once(tax)
        async with store.transaction() as uow:
            assert await uow.credit.punishable_among({listed, taxed, clean}) == {listed}
            assert await uow.credit.punishable_among(set()) == set()

    async def test_the_newest_open_entry_and_closing_it(self, store: Store) -> None:
        uscc = a_uscc()
        async with store.transaction() as uow:
            await uow.credit.add_once(an_entry(uscc, "old", date(2025, 1, 1)))
            await uow.credit.add_once(an_entry(uscc, "new", date(2026, 3, 1)))
            await uow.credit.add_once(an_entry(uscc, "future", date(2026, 9, 1)))
            await uow.credit.add_once(an_entry(uscc, "closed", date(2026, 5, 1), date(2026, 6, 1)))
        kind, source = "abnormal_operation", "market_supervision"
        async with store.transaction() as uow:
            newest = await uow.credit.newest_open(uscc, kind, source, date(2026, 8, 1))
            assert newest is not None
            assert newest.reference == "new"
            await uow.credit.close(newest, date(2026, 8, 1))
        async with store.transaction() as uow:
            closed = await uow.credit.by_reference(uscc, source, kind, "new")
            assert closed is not None
            assert closed.ends_on == date(2026, 8, 1)
            newest = await uow.credit.newest_open(uscc, kind, source, date(2026, 8, 1))
            assert newest is not None
            assert newest.reference == "old"
            assert await uow.credit.newest_open(uscc, kind, "tax", date(2026, 8, 1)) is None
