"""The behaviour every implementation of review's repositories must have (eventsourcing's
abstract test case): subclassed with the in-memory implementation in
tests/unit/test_in_memory_review.py and with PostgreSQL in
tests/integration/test_sql_review.py. A subclass provides the `store` fixture.

Each step runs in its own transaction and is read back in a later one, so what is checked
is what was stored (and a refused step stored nothing)."""

from __future__ import annotations

import uuid
from contextlib import AbstractAsyncContextManager
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol

import pytest
from sqlalchemy.exc import IntegrityError

from review.adapters.registry_store import ToRegister
from review.adapters.tables import (
    CreditRecordRow,
    ObjectionRow,
    PublicityBatchRow,
    RegistrationChangeRow,
    ReviewCaseRow,
    SpotCheckItemRow,
    SpotCheckRow,
)
from review.domain.errors import ObjectionExists
from review.domain.status import CaseStatus, IllegalTransition, ObjectionState
from review.domain.warnings import CreditEntry, RaisedWarning
from review.service_layer.unit_of_work import ReviewUnitOfWork

from .rows import AGENCY, AT, batch_row, case_row

C = CaseStatus
LATER = AT + timedelta(hours=1)
PHONE = ("phone", "13900000001")


class Store(Protocol):
    def transaction(self) -> AbstractAsyncContextManager[ReviewUnitOfWork]: ...

    async def seed(self, *rows: ReviewCaseRow | PublicityBatchRow) -> None:
        """Store publicity batches and review cases, in the order given."""


def warning(code: str, subject: str, severity: str = "warn") -> RaisedWarning:
    return RaisedWarning(code, severity, f"预警{code}", f"warning {code}", {"n": 1}, subject)


def to_register(case: ReviewCaseRow) -> ToRegister:
    return ToRegister(
        case.id,
        case.application_id,
        case.uscc,
        case.enterprise_name,
        case.region_code,
        case.industry_code,
        case.agency,
    )


class ReviewContract:
    async def _reject(self, store: Store, case_id: uuid.UUID) -> None:
        async with store.transaction() as uow:
            found = await uow.cases.get(case_id, for_update=True)
            assert found is not None
            uow.cases.record_decision(
                found, C.REJECTED, "reject", "x", by="agency-user", at=AT, action="decision"
            )

    async def _uphold(self, store: Store, supervision_case_id: str) -> None:
        async with store.transaction() as uow:
            objection = await uow.objections.lock(supervision_case_id)
            assert objection is not None
            uow.objections.close(objection, ObjectionState.UPHELD, LATER)

    async def test_a_case_is_found_by_id_application_and_batch(self, store: Store) -> None:
        batch = batch_row()
        listed, other = case_row(1, C.IN_PUBLICITY, batch=batch), case_row(2)
        await store.seed(batch, listed, other)
        async with store.transaction() as uow:
            found = await uow.cases.get(listed.id, for_update=True)
            assert found is not None
            assert (found.uscc, found.status) == (listed.uscc, "in_publicity")
            by_application = await uow.cases.of_application(other.application_id)
            assert by_application is not None
            assert by_application.id == other.id
            in_batch = await uow.cases.in_batch(batch.id, listed.uscc)
            assert in_batch is not None
            assert in_batch.id == listed.id
            assert await uow.cases.in_batch(batch.id, other.uscc) is None
            assert await uow.cases.get(uuid.uuid4()) is None
            assert await uow.cases.of_application(uuid.uuid4()) is None
            await uow.cases.lock_enterprise(listed.uscc)
            stored = await uow.batches.get(batch.id)
            assert stored is not None
            assert stored.status == "in_publicity"
            await uow.batches.lock(batch.id)

    async def test_a_decision_moves_the_case_and_adds_a_step(self, store: Store) -> None:
        case = case_row(3)
        await store.seed(case)
        async with store.transaction() as uow:
            found = await uow.cases.get(case.id, for_update=True)
            assert found is not None
            uow.cases.record_decision(
                found,
                C.RETURNED,
                "return",
                "补充材料",
                by="agency-user",
                at=AT,
                action="decision_return",
            )
        async with store.transaction() as uow:
            found = await uow.cases.get(case.id)
            assert found is not None
            assert (found.status, found.decision, found.decision_reason) == (
                "returned",
                "return",
                "补充材料",
            )
            assert (found.decided_by, found.decided_at) == ("agency-user", AT)
            steps = await uow.cases.history(case.id)
            assert [(s.action, s.status, s.actor, s.reason) for s in steps] == [
                ("decision_return", "returned", "agency-user", "补充材料")
            ]

    async def test_a_refused_move_stores_nothing(self, store: Store) -> None:
        case = case_row(4, C.REGISTERED)
        await store.seed(case)
        with pytest.raises(IllegalTransition):
            await self._reject(store, case.id)
        async with store.transaction() as uow:
            found = await uow.cases.get(case.id)
            assert found is not None
            assert (found.status, found.decision) == ("registered", None)
            assert await uow.cases.history(case.id) == []

    async def test_the_onsite_result_moves_the_case_and_steps_are_in_order(
        self, store: Store
    ) -> None:
        case = case_row(5, C.ONSITE_REQUIRED, onsite_triggers=["first_time_high_revenue"])
        await store.seed(case)
        async with store.transaction() as uow:
            found = await uow.cases.get(case.id, for_update=True)
            assert found is not None
            uow.cases.record_onsite(found, "passed", "看过了", by="agency-user", at=AT)
        async with store.transaction() as uow:
            found = await uow.cases.get(case.id, for_update=True)
            assert found is not None
            assert (found.status, found.onsite_result, found.onsite_notes) == (
                "pending",
                "passed",
                "看过了",
            )
            assert (found.onsite_recorded_by, found.onsite_recorded_at) == ("agency-user", AT)
            uow.cases.move(found, C.WITHDRAWN, LATER, "withdrawn", actor="enterprise:x")
        async with store.transaction() as uow:
            steps = await uow.cases.history(case.id)
            assert [(s.action, s.status, s.at) for s in steps] == [
                ("onsite_passed", "pending", AT),
                ("withdrawn", "withdrawn", LATER),
            ]

    async def test_claims_are_counted_per_year_and_enterprise(self, store: Store) -> None:
        a, b, same_firm = case_row(6), case_row(7), case_row(6)
        last_year = case_row(8, year=2025)
        await store.seed(a, b, same_firm, last_year)
        async with store.transaction() as uow:
            await uow.claims.lock(2026, ["ZL1"], [PHONE])
            await uow.claims.replace(a, ["ZL1", "ZL2"], [PHONE])
            await uow.claims.replace(b, ["ZL1"], [PHONE, ("email", "b@example.cn")])
            await uow.claims.replace(same_firm, [], [PHONE])
            await uow.claims.replace(last_year, ["ZL2"], [PHONE])
        async with store.transaction() as uow:
            numbers, contacts = await uow.claims.of_case(a.id)
            assert (sorted(numbers), contacts) == (["ZL1", "ZL2"], [PHONE])
            claimants = await uow.claims.claimants(2026, ["ZL1", "ZL2", "ZL9"])
            assert {n: sorted(h) for n, h in claimants.items()} == {
                "ZL1": sorted([(a.id, a.uscc), (b.id, b.uscc)]),
                "ZL2": [(a.id, a.uscc)],
                "ZL9": [],
            }
            email = ("email", "b@example.cn")
            absent = ("email", "none@example.cn")
            # the phone is used by three cases of two enterprises in 2026
            assert await uow.claims.contact_counts(2026, [PHONE, email, absent]) == {
                PHONE: 2,
                email: 1,
                absent: 0,
            }
            holders = await uow.claims.contact_holders(2026, [PHONE, absent])
            assert sorted(holders[PHONE]) == sorted([a.id, b.id, same_firm.id])
            assert holders[absent] == []
            await uow.claims.remove(a.id)
        async with store.transaction() as uow:
            assert await uow.claims.of_case(a.id) == ([], [])
            claimants = await uow.claims.claimants(2026, ["ZL1", "ZL2"])
            assert claimants == {"ZL1": [(b.id, b.uscc)], "ZL2": []}

    async def test_warnings_are_one_per_code_and_subject_and_a_note_stays(
        self, store: Store
    ) -> None:
        case, other = case_row(9), case_row(10)
        await store.seed(case, other)
        async with store.transaction() as uow:
            await uow.warnings.upsert_on_cases(
                [
                    (case.id, warning("duplicate_ip", "ZL1")),
                    (case.id, warning("duplicate_ip", "ZL2")),
                    (other.id, warning("duplicate_ip", "ZL1")),
                ],
                AT,
            )
        async with store.transaction() as uow:  # the decision notes one of them
            open_rows = await uow.warnings.lock_open(case.id)
            assert [(w.code, w.subject) for w in open_rows] == [
                ("duplicate_ip", "ZL1"),
                ("duplicate_ip", "ZL2"),
            ]
            noted = open_rows[0]
            noted.resolved, noted.resolution, noted.resolved_at = True, "noted", AT
        async with store.transaction() as uow:  # raised again, and one cleared
            await uow.warnings.upsert_on_cases(
                [(case.id, warning("duplicate_ip", "ZL1", "block"))], LATER
            )
            await uow.warnings.clear_many(
                [(case.id, "duplicate_ip", "ZL2"), (other.id, "duplicate_ip", "ZL9")], LATER
            )
        async with store.transaction() as uow:
            rows = await uow.warnings.of_case(case.id)
            assert [(w.subject, w.severity, w.resolved, w.resolution) for w in rows] == [
                ("ZL1", "block", True, "noted"),
                ("ZL2", "warn", True, "cleared"),
            ]
            assert await uow.warnings.lock_open(case.id) == []
            assert [w.subject for w in await uow.warnings.lock_open(other.id)] == ["ZL1"]
        async with store.transaction() as uow:  # a cleared warning that fires again reopens
            await uow.warnings.upsert_on_cases([(case.id, warning("duplicate_ip", "ZL2"))], AT)
        async with store.transaction() as uow:
            reopened = await uow.warnings.lock_open(case.id)
            assert [(w.subject, w.resolution, w.resolved_at) for w in reopened] == [
                ("ZL2", None, None)
            ]

    async def test_one_objection_per_supervision_case_closed_once(self, store: Store) -> None:
        case = case_row(11, C.HELD)
        await store.seed(case)
        for name in ("SV-1", "SV-2"):
            async with store.transaction() as uow:
                await uow.objections.add(
                    ObjectionRow(
                        supervision_case_id=name,
                        review_case_id=case.id,
                        batch_id=None,
                        uscc=case.uscc,
                        state="open",
                        filed_at=AT,
                    )
                )
        with pytest.raises(ObjectionExists):
            async with store.transaction() as uow:
                await uow.objections.add(
                    ObjectionRow(
                        supervision_case_id="SV-1", uscc=case.uscc, state="open", filed_at=AT
                    )
                )
        async with store.transaction() as uow:
            assert await uow.objections.standing(case.id) == 2
            first = await uow.objections.lock("SV-1")
            assert first is not None
            uow.objections.close(first, ObjectionState.DISMISSED, LATER)
        with pytest.raises(IllegalTransition):
            await self._uphold(store, "SV-1")
        async with store.transaction() as uow:
            first = await uow.objections.lock("SV-1")
            assert first is not None
            assert (first.state, first.closed_at) == ("dismissed", LATER)
            assert await uow.objections.standing(case.id) == 1  # SV-2 still open
            assert await uow.objections.lock("SV-9") is None

    async def test_registering_numbers_cases_with_gap_free_serials(self, store: Store) -> None:
        batch = batch_row()
        first, second = case_row(12, C.IN_PUBLICITY, batch=batch), case_row(13, C.HELD, batch=batch)
        await store.seed(batch, first, second)
        async with store.transaction() as uow:
            assert await uow.registry.take_serials(2026, "150000", 1) == 1
            start = await uow.registry.take_serials(2026, "150000", 2)
            assert start == 2
            await uow.registry.insert(
                year=2026,
                province="150000",
                batch_id=batch.id,
                registered_on=date(2026, 6, 20),
                valid_until=date(2026, 12, 31),
                now=AT,
                actor="province",
                cases=[to_register(first), to_register(second)],
                numbered=[(2, "2026150105A0000002"), (3, "2026150105A0000003")],
            )
        async with store.transaction() as uow:
            assert await uow.registry.take_serials(2026, "150000", 1) == 4
            assert await uow.registry.take_serials(2025, "150000", 1) == 1
            for case, number in ((first, "2026150105A0000002"), (second, "2026150105A0000003")):
                found = await uow.cases.get(case.id)
                assert found is not None
                assert (found.status, found.registration_number) == ("registered", number)
                steps = await uow.cases.history(case.id)
                assert [(s.action, s.reason, s.actor) for s in steps] == [
                    ("registered", number, "province")
                ]
                registration = await uow.registry.get(number)
                assert registration is not None
                assert (registration.uscc, registration.status) == (case.uscc, "valid")
            assert await uow.registry.get("2026150105A0000009") is None

    async def test_one_registration_per_enterprise_and_year(self, store: Store) -> None:
        batch = batch_row()
        case = case_row(14, C.IN_PUBLICITY, batch=batch)
        again = case_row(14, C.IN_PUBLICITY, batch=batch)  # same enterprise, another case
        await store.seed(batch, case, again)

        async def register(which: ReviewCaseRow, serial: int) -> None:
            async with store.transaction() as uow:
                await uow.registry.insert(
                    year=2026,
                    province="150000",
                    batch_id=batch.id,
                    registered_on=date(2026, 6, 20),
                    valid_until=date(2026, 12, 31),
                    now=AT,
                    actor="province",
                    cases=[to_register(which)],
                    numbered=[(serial, f"2026150105A{serial:07d}")],
                )

        await register(case, 1)
        with pytest.raises(IntegrityError):
            await register(again, 2)
        async with store.transaction() as uow:
            found = await uow.cases.get(again.id)
            assert found is not None
            assert (found.status, found.registration_number) == ("in_publicity", None)
            assert await uow.registry.get("2026150105A0000002") is None

    async def test_a_batch_takes_in_its_cases_in_one_go_and_lists_them(self, store: Store) -> None:
        first, second, left_out = case_row(15, C.APPROVED), case_row(16, C.APPROVED), case_row(17)
        await store.seed(first, second, left_out)
        batch = batch_row()
        async with store.transaction() as uow:
            locked = await uow.batches.lock_cases([second.id, uuid.uuid4(), first.id])
            assert [c.id for c in locked] == [first.id, second.id]  # region, then USCC
            await uow.batches.insert(batch)
            await uow.batches.move_in([first.id, second.id], batch.id, now=AT, actor="province")
            notice = await uow.notices.add(
                kind="publicity",
                year=2026,
                title="公示",
                title_en="publicity",
                published_on=date(2026, 6, 1),
                starts_on=date(2026, 6, 1),
                ends_on=date(2026, 6, 5),
                now=AT,
                batch_id=batch.id,
            )
            await uow.notices.list_batch(notice, batch.id)
        async with store.transaction() as uow:
            stored = await uow.batches.get(batch.id, for_update=True)
            assert stored is not None
            assert (stored.status, stored.ends_on) == ("in_publicity", date(2026, 6, 5))
            for case in (first, second):
                found = await uow.cases.get(case.id)
                assert found is not None
                assert (found.status, found.batch_id) == ("in_publicity", batch.id)
                steps = await uow.cases.history(case.id)
                assert [(s.action, s.status, s.actor, s.reason) for s in steps] == [
                    ("publicity_started", "in_publicity", "province", str(batch.id))
                ]
            untouched = await uow.cases.get(left_out.id)
            assert untouched is not None
            assert (untouched.status, untouched.batch_id) == ("pending", None)
            listed = await uow.notices.listed_on(notice)
            assert [(e.uscc, e.enterprise_name, e.registration_number) for e in listed] == [
                (first.uscc, first.enterprise_name, None),
                (second.uscc, second.enterprise_name, None),
            ]

    async def test_no_case_moves_into_a_batch_that_is_not_stored(self, store: Store) -> None:
        case = case_row(18, C.APPROVED)
        await store.seed(case)
        with pytest.raises(IntegrityError):
            async with store.transaction() as uow:
                await uow.batches.move_in([case.id], uuid.uuid4(), now=AT, actor="province")
        async with store.transaction() as uow:
            found = await uow.cases.get(case.id)
            assert found is not None
            assert (found.status, found.batch_id) == ("approved", None)
            assert await uow.cases.history(case.id) == []

    async def test_an_announcement_sees_clear_and_held_cases_and_lists_numbers(
        self, store: Store
    ) -> None:
        batch = batch_row()
        clear, held = case_row(19, C.IN_PUBLICITY, batch=batch), case_row(20, C.HELD, batch=batch)
        elsewhere = case_row(21, C.IN_PUBLICITY)
        await store.seed(batch, clear, held, elsewhere)
        async with store.transaction() as uow:
            assert await uow.batches.clear_cases(batch.id) == [to_register(clear)]
            assert await uow.batches.held_cases(batch.id) == [(held.uscc, held.application_id)]
            await uow.registry.insert(
                year=2026,
                province="150000",
                batch_id=batch.id,
                registered_on=date(2026, 6, 20),
                valid_until=date(2026, 12, 31),
                now=AT,
                actor="province",
                cases=[to_register(clear)],
                numbered=[(1, "2026150105A0000001")],
            )
            notice = await uow.notices.add(
                kind="announcement",
                year=2026,
                title="公告",
                title_en="announcement",
                published_on=date(2026, 6, 20),
                now=AT,
                batch_id=batch.id,
            )
            await uow.notices.list_registrations(notice, ["2026150105A0000001"])
        async with store.transaction() as uow:
            assert await uow.batches.clear_cases(batch.id) == []
            listed = await uow.notices.listed_on(notice)
            assert [(e.uscc, e.registration_number) for e in listed] == [
                (clear.uscc, "2026150105A0000001")
            ]
            assert await uow.notices.listed_on(uuid.uuid4()) == []

    async def _register(self, store: Store, *cases: tuple[ReviewCaseRow, int]) -> None:
        """Register each case (seeded in publicity, in a batch) with its serial."""
        async with store.transaction() as uow:
            for case, serial in cases:
                assert case.batch_id is not None
                await uow.registry.insert(
                    year=case.year,
                    province="150000",
                    batch_id=case.batch_id,
                    registered_on=date(case.year, 6, 20),
                    valid_until=date(case.year, 12, 31),
                    now=AT,
                    actor="province",
                    cases=[to_register(case)],
                    numbered=[(serial, f"{case.year}150105A{serial:07d}")],
                )

    async def test_a_spot_check_draws_from_valid_registrations_and_records_results(
        self, store: Store
    ) -> None:
        batch, old_batch = batch_row(), batch_row(year=2025)
        valid, revoked = (case_row(n, C.IN_PUBLICITY, batch=batch) for n in (22, 23))
        last_year = case_row(24, C.IN_PUBLICITY, batch=old_batch, year=2025)
        await store.seed(batch, old_batch, valid, revoked, last_year)
        await self._register(store, (revoked, 2), (valid, 1), (last_year, 1))
        async with store.transaction() as uow:
            registration = await uow.registry.get("2026150105A0000002")
            assert registration is not None
            registration.status = "revoked"
        check = SpotCheckRow(
            id=uuid.uuid4(),
            year=2026,
            seed="abc",
            ratio=Decimal("0.1000"),
            population=1,
            sample_size=1,
            created_by="province",
            created_at=AT,
        )

        def item(number: str) -> SpotCheckItemRow:
            return SpotCheckItemRow(
                spot_check_id=check.id,
                registration_number=number,
                uscc=valid.uscc,
                enterprise_name=valid.enterprise_name,
                agency=valid.agency,
            )

        with pytest.raises(IntegrityError):  # one item per registration in a draw
            async with store.transaction() as uow:
                await uow.spot_checks.add(check, [item("2026150105A0000001")] * 2)
        async with store.transaction() as uow:
            assert await uow.spot_checks.population(2026) == [
                ("2026150105A0000001", valid.agency, valid.uscc, valid.enterprise_name)
            ]
            assert await uow.spot_checks.get(check.id) is None
            await uow.spot_checks.add(check, [item("2026150105A0000001")])
        async with store.transaction() as uow:
            stored = await uow.spot_checks.get(check.id)
            assert stored is not None
            assert (stored.seed, stored.ratio, stored.sample_size) == ("abc", Decimal("0.1"), 1)
            assert await uow.spot_checks.year_of(check.id) == 2026
            sampled = await uow.spot_checks.lock_item(check.id, "2026150105A0000001")
            assert sampled is not None
            assert (sampled.uscc, sampled.agency, sampled.result) == (valid.uscc, AGENCY, None)
            sampled.result, sampled.recorded_by = "failed", "agency-user"
            assert await uow.spot_checks.lock_item(check.id, "2026150105A0000002") is None
        async with store.transaction() as uow:
            sampled = await uow.spot_checks.lock_item(check.id, "2026150105A0000001")
            assert sampled is not None
            assert (sampled.result, sampled.recorded_by) == ("failed", "agency-user")

    async def test_a_revocation_finds_the_registration_notes_the_case_and_is_listed(
        self, store: Store
    ) -> None:
        batch = batch_row()
        case = case_row(25, C.IN_PUBLICITY, batch=batch)
        await store.seed(batch, case)
        await self._register(store, (case, 7))
        number = "2026150105A0000007"
        async with store.transaction() as uow:
            by_number = await uow.registry.lock(number, uscc="other", year=2025)
            assert by_number is not None
            assert by_number.uscc == case.uscc
            mistyped = await uow.registry.lock("2026150105A9999999", uscc=case.uscc, year=2026)
            assert mistyped is not None
            assert mistyped.number == number
            assert await uow.registry.lock("X", uscc=case.uscc, year=2025) is None
            mistyped.status = "revoked"
            found = await uow.cases.get(case.id, for_update=True)
            assert found is not None
            uow.cases.note(found, "revoked", LATER, actor="supervision", reason="serious_fraud")
            notice = await uow.notices.add(
                kind="revocation",
                year=2026,
                title="撤销公告",
                title_en="revocation",
                published_on=date(2026, 7, 1),
                now=LATER,
            )
            uow.notices.list_revocation(
                notice,
                uscc=case.uscc,
                enterprise_name=case.enterprise_name,
                region_code=case.region_code,
                agency=case.agency,
                number=number,
                ground="serious_fraud",
            )
        async with store.transaction() as uow:
            registration = await uow.registry.get(number)
            assert registration is not None
            assert registration.status == "revoked"
            found = await uow.cases.get(case.id)
            assert found is not None
            assert found.status == "registered"  # a note leaves the status
            steps = await uow.cases.history(case.id)
            assert [(s.action, s.status, s.actor, s.reason) for s in steps] == [
                ("registered", "registered", "province", number),
                ("revoked", "registered", "supervision", "serious_fraud"),
            ]
            listed = await uow.notices.listed_on(notice)
            assert [(e.uscc, e.registration_number, e.ground) for e in listed] == [
                (case.uscc, number, "serious_fraud")
            ]

    async def test_the_year_close_locks_the_years_open_cases(self, store: Store) -> None:
        pending, approved = case_row(27), case_row(26, C.APPROVED)
        decided, last_year = case_row(28, C.REJECTED), case_row(29, year=2025)
        await store.seed(pending, approved, decided, last_year)
        async with store.transaction() as uow:
            assert await uow.cases.try_lock_year_close(2026)
            found = await uow.cases.lock_of_year(2026, [C.PENDING, C.APPROVED])
            assert [c.id for c in found] == [approved.id, pending.id]  # by USCC
            assert await uow.cases.lock_of_year(2027, [C.PENDING]) == []

    async def test_a_change_is_reported_for_a_stored_registration_only(self, store: Store) -> None:
        batch = batch_row()
        case = case_row(30, C.IN_PUBLICITY, batch=batch)
        await store.seed(batch, case)
        await self._register(store, (case, 3))
        number = "2026150105A0000003"

        def change(on: str, at: timedelta) -> RegistrationChangeRow:
            return RegistrationChangeRow(
                id=uuid.uuid4(),
                number=on,
                uscc=case.uscc,
                kind="name",
                old_value=case.enterprise_name,
                new_value="内蒙古新名科技有限公司",
                effective_on=date(2026, 7, 1),
                reported_on=date(2026, 7, 2),
                report_due_on=date(2026, 10, 1),
                late=False,
                created_at=AT + at,
            )

        with pytest.raises(IntegrityError):
            async with store.transaction() as uow:
                await uow.registry.add_change(change("2026150105A0000009", timedelta(0)))
        later, first = change(number, timedelta(hours=2)), change(number, timedelta(hours=1))
        async with store.transaction() as uow:
            registration = await uow.registry.get(number, for_update=True)
            assert registration is not None
            registration.enterprise_name = "内蒙古新名科技有限公司"
            await uow.registry.add_change(later)
            await uow.registry.add_change(first)
        async with store.transaction() as uow:
            assert [c.id for c in await uow.registry.changes_of(number)] == [first.id, later.id]
            assert await uow.registry.changes_of("2026150105A0000009") == []
            registration = await uow.registry.get(number)
            assert registration is not None
            assert registration.enterprise_name == "内蒙古新名科技有限公司"

    async def test_a_credit_entry_is_kept_and_its_end_never_lifted(self, store: Store) -> None:
        def entry(
            key: str, uscc: str, ends_on: date | None, kind: str = "abnormal"
        ) -> CreditRecordRow:
            return CreditRecordRow(
                entry_key=key,
                uscc=uscc,
                kind=kind,
                detail=None,
                source="市场监管",
                starts_on=date(2026, 3, 1) if key == "b" else date(2026, 1, 1),
                ends_on=ends_on,
                recorded_at=AT,
            )

        firm, other = case_row(31).uscc, case_row(32).uscc
        async with store.transaction() as uow:
            await uow.credit.record(entry("b", firm, None))
            await uow.credit.record(entry("a", firm, None))
            await uow.credit.record(entry("c", other, None))
        async with store.transaction() as uow:  # closed, then an older event without end
            await uow.credit.record(entry("a", firm, date(2026, 5, 1), kind="listing"))
        async with store.transaction() as uow:
            await uow.credit.record(entry("a", firm, None, kind="listing"))
        async with store.transaction() as uow:
            found = await uow.credit.entries_of({firm, "91150105MA0000000X"})
            assert found == {
                firm: (
                    CreditEntry("a", "listing", "市场监管", date(2026, 1, 1), date(2026, 5, 1)),
                    CreditEntry("b", "abnormal", "市场监管", date(2026, 3, 1), None),
                )
            }
            assert await uow.credit.entries_of(set()) == {}

    async def test_an_enterprises_cases_and_its_previous_years_form(self, store: Store) -> None:
        this_year = case_row(33, C.APPROVED)
        last_year, withdrawn = case_row(33, C.REGISTERED, year=2025), case_row(33, C.WITHDRAWN)
        last_year.form, withdrawn.form = {"v": 2025}, {"v": "withdrawn"}
        last_year.created_at = withdrawn.created_at = this_year.created_at = AT
        await store.seed(this_year, last_year, withdrawn)
        async with store.transaction() as uow:
            found = await uow.cases.of_enterprise(this_year.uscc, [C.APPROVED, C.REGISTERED])
            assert [c.id for c in found] == [last_year.id, this_year.id]  # by year
            assert await uow.cases.of_enterprise(this_year.uscc, [C.HELD]) == []
            forms = await uow.cases.previous_forms({(this_year.uscc, 2025), (this_year.uscc, 2024)})
            assert forms == {(this_year.uscc, 2025): {"v": 2025}}

    async def test_syncing_a_cases_warnings_opens_clears_and_keeps_notes(
        self, store: Store
    ) -> None:
        case = case_row(34)
        await store.seed(case)
        async with store.transaction() as uow:
            await uow.warnings.sync(
                case.id, [warning("credit_record", "a"), warning("figures", "x")], AT
            )
        async with store.transaction() as uow:  # the decision notes one
            noted = (await uow.warnings.lock_open(case.id))[1]
            assert noted.code == "figures"
            noted.resolved, noted.resolution, noted.resolved_at = True, "noted", AT
        async with store.transaction() as uow:  # credit_record gone; figures fires again
            await uow.warnings.sync(case.id, [warning("figures", "x", "block")], LATER)
        async with store.transaction() as uow:
            rows = await uow.warnings.of_case(case.id)
            assert [(w.code, w.severity, w.resolved, w.resolution) for w in rows] == [
                ("credit_record", "warn", True, "cleared"),
                ("figures", "block", True, "noted"),
            ]
            await uow.warnings.sync(case.id, [warning("credit_record", "a")], LATER)
        async with store.transaction() as uow:  # a cleared one that fires again reopens
            reopened = await uow.warnings.lock_open(case.id)
            assert [(w.code, w.raised_at, w.resolution) for w in reopened] == [
                ("credit_record", LATER, None)
            ]
