"""The behaviour every implementation of intake's repository interfaces must have
(eventsourcing's abstract test case): subclassed with the in-memory implementation in
tests/unit/test_in_memory_repositories.py and with PostgreSQL in
tests/integration/test_sql_repositories.py. A subclass provides the `store` fixture."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

import pytest

from intake.adapters.tables import ApplicationRow, DocumentRow, EnterpriseRow
from intake.domain.applying import Revocation
from intake.domain.errors import LiveApplicationExists
from intake.domain.status import (
    ENDED,
    LIVE,
    ApplicationStatus,
    BatchMove,
    IllegalTransition,
    RegistrationMove,
    move,
)
from intake.service_layer.unit_of_work import IntakeUnitOfWork

S = ApplicationStatus
AT = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)


class Store(Protocol):
    """One implementation under test: transactions on it and ways to put rows in."""

    def transaction(self) -> AbstractAsyncContextManager[IntakeUnitOfWork]: ...

    async def seed_document(self, row: DocumentRow) -> None: ...

    async def seed_revocation(self, uscc: str, bar: Revocation) -> None: ...


def application(uscc: str, year: int = 2026, status: S = S.DRAFT) -> ApplicationRow:
    return ApplicationRow(
        id=uuid.uuid4(),
        year=year,
        uscc=uscc,
        agency="150100",
        status=status.value,
        form={},
        self_evaluation={},
        policy_version=1,
        round=0,
        created_at=AT,
        updated_at=AT,
    )


def document(
    app: ApplicationRow, sha256: str, *, uscc: str | None = None, minutes: int = 0
) -> DocumentRow:
    return DocumentRow(
        id=uuid.uuid4(),
        application_id=app.id,
        uscc=uscc or app.uscc,
        year=app.year,
        kind="financial_statements",
        refers_to=None,
        filename="f.pdf",
        media_type="application/pdf",
        size=10,
        sha256=sha256,
        object_key=f"k/{sha256}",
        readable=True,
        round=0,
        uploaded_at=AT + timedelta(minutes=minutes),
    )


class RepositoryContract:
    @pytest.fixture
    def uscc(self) -> Callable[[], str]:
        def fresh() -> str:
            return f"9115{uuid.uuid4().hex[:14].upper()}"

        return fresh

    async def _added(self, store: Store, row: ApplicationRow) -> ApplicationRow:
        async with store.transaction() as uow:
            await uow.applications.add(row, AT)
        return row

    async def test_an_added_application_is_found_with_its_first_timeline_entry(
        self, store: Store, uscc: Callable[[], str]
    ) -> None:
        row = await self._added(store, application(uscc()))
        async with store.transaction() as uow:
            found = await uow.applications.get(row.id)
            assert found is not None
            assert (found.uscc, found.status) == (row.uscc, "draft")
            assert [(t.status, t.at) for t in await uow.applications.timeline(row.id)] == [
                ("draft", AT)
            ]
            assert await uow.applications.get(uuid.uuid4()) is None

    async def test_one_live_application_per_enterprise_and_year(
        self, store: Store, uscc: Callable[[], str]
    ) -> None:
        first = await self._added(store, application(enterprise := uscc()))
        with pytest.raises(LiveApplicationExists):
            async with store.transaction() as uow:
                await uow.applications.add(application(enterprise), AT)
        await self._added(store, application(enterprise, year=2025))  # another year is fine
        async with store.transaction() as uow:
            live = await uow.applications.live(enterprise, 2026, for_update=True)
            assert live is not None
            assert live.id == first.id
            uow.applications.record_status(live, S.WITHDRAWN, AT, "changed our mind")
        await self._added(store, application(enterprise))  # an ended one no longer counts
        async with store.transaction() as uow:
            assert await uow.applications.live(enterprise, 2026, statuses=ENDED) is not None
            assert await uow.applications.live(enterprise, 2024) is None

    async def test_a_move_along_the_table_is_written_with_its_timeline_entry(
        self, store: Store, uscc: Callable[[], str]
    ) -> None:
        row = await self._added(store, application(uscc()))
        later = AT + timedelta(days=1)
        async with store.transaction() as uow:
            found = await uow.applications.get(row.id, for_update=True)
            assert found is not None
            uow.applications.record_status(found, S.SUBMITTED, later)
            uow.applications.record_status(found, S.REGISTERED, later, "R-1", by_event=True)
        async with store.transaction() as uow:
            found = await uow.applications.get(row.id)
            assert found is not None
            assert found.status == "registered"
            timeline = await uow.applications.timeline(row.id)
            assert [(t.status, t.reason) for t in timeline] == [
                ("draft", None),
                ("submitted", None),
                ("registered", "R-1"),
            ]

    async def test_a_move_the_table_refuses_changes_nothing(
        self, store: Store, uscc: Callable[[], str]
    ) -> None:
        row = await self._added(store, application(uscc()))
        async with store.transaction() as uow:
            found = await uow.applications.get(row.id, for_update=True)
            assert found is not None
            with pytest.raises(IllegalTransition):
                uow.applications.record_status(found, S.APPROVED, AT)  # a command may not skip
            with pytest.raises(IllegalTransition):
                uow.applications.record_status(found, S.REGISTERED, AT, by_event=True)
        async with store.transaction() as uow:
            found = await uow.applications.get(row.id)
            assert found is not None
            assert found.status == "draft"
            assert len(await uow.applications.timeline(row.id)) == 1

    async def test_documents_in_upload_order_and_reuse_by_other_enterprises(
        self, store: Store, uscc: Callable[[], str]
    ) -> None:
        mine = await self._added(store, application(uscc()))
        theirs = await self._added(store, application(uscc()))
        shared_sha, own_sha = uuid.uuid4().hex * 2, uuid.uuid4().hex * 2
        second = document(mine, own_sha, minutes=5)
        first = document(mine, shared_sha, minutes=1)
        for row in (second, first, document(theirs, shared_sha)):
            await store.seed_document(row)
        async with store.transaction() as uow:
            assert [d.id for d in await uow.documents.of_application(mine.id)] == [
                first.id,
                second.id,
            ]
            reused = await uow.documents.reused_elsewhere(2026, mine.uscc, [shared_sha, own_sha])
            assert reused == {shared_sha: [theirs.uscc]}
            assert await uow.documents.reused_elsewhere(2025, mine.uscc, [shared_sha]) == {}

    async def test_revocations_of_an_enterprise(
        self, store: Store, uscc: Callable[[], str]
    ) -> None:
        enterprise = uscc()
        bar = Revocation(
            number=f"R-{uuid.uuid4().hex[:8]}", registration_year=2026, revoked_on=date(2026, 5, 1)
        )
        await store.seed_revocation(enterprise, bar)
        async with store.transaction() as uow:
            assert await uow.applications.revocations_of(enterprise) == [bar]
            assert await uow.applications.revocations_of(uscc()) == []

    async def test_a_run_of_events_finds_its_applications_by_id_and_by_enterprise(
        self, store: Store, uscc: Callable[[], str]
    ) -> None:
        named = await self._added(store, application(uscc(), status=S.APPROVED))
        unnamed = await self._added(store, application(uscc(), status=S.IN_PUBLICITY))
        ended = await self._added(store, application(uscc(), status=S.REJECTED))
        async with store.transaction() as uow:
            by_id, live = await uow.applications.for_events(
                ids={named.id, uuid.uuid4()},
                live_of={(unnamed.uscc, 2026), (ended.uscc, 2026), (unnamed.uscc, 2025)},
                statuses={S.APPROVED, S.IN_PUBLICITY},
            )
            assert {i: (row.uscc, row.year, row.status) for i, row in by_id.items()} == {
                named.id: (named.uscc, 2026, S.APPROVED)
            }
            assert {key: (row.id, row.status) for key, row in live.items()} == {
                (unnamed.uscc, 2026): (unnamed.id, S.IN_PUBLICITY)
            }
            assert await uow.applications.for_events(ids=(), live_of=(), statuses=LIVE) == ({}, {})

    async def test_a_batch_moves_only_the_years_applications_in_a_source_status(
        self, store: Store, uscc: Callable[[], str]
    ) -> None:
        by_id = await self._added(store, application(uscc(), status=S.APPROVED))
        by_uscc = await self._added(store, application(uscc(), status=S.APPROVED))
        draft = await self._added(store, application(uscc()))
        last_year = await self._added(store, application(uscc(), year=2025, status=S.APPROVED))
        async with store.transaction() as uow:
            publicity = BatchMove(
                year=2026,
                application_ids={by_id.id, draft.id, last_year.id},
                usccs={by_uscc.uscc, last_year.uscc},
                sources={S.APPROVED},
                target=S.IN_PUBLICITY,
                at=AT,
                reason="公示",
                by_event=True,
            )
            with pytest.raises(IllegalTransition):  # the table is checked for the batch
                await uow.applications.move_many(
                    replace(publicity, sources={S.DRAFT}, target=S.REGISTERED)
                )
            moved = await uow.applications.move_many(publicity)
            assert sorted(moved) == sorted([by_id.id, by_uscc.id])
        async with store.transaction() as uow:
            for row, status in ((by_id, "in_publicity"), (draft, "draft"), (last_year, "approved")):
                found = await uow.applications.get(row.id)
                assert found is not None
                assert found.status == status
            timeline = await uow.applications.timeline(by_uscc.id)
            assert [(t.status, t.reason) for t in timeline][-1] == ("in_publicity", "公示")

    async def test_a_run_of_registrations_is_written_with_numbers_and_timeline_entries(
        self, store: Store, uscc: Callable[[], str]
    ) -> None:
        publicity = await self._added(store, application(uscc(), status=S.IN_PUBLICITY))
        approved = await self._added(store, application(uscc(), status=S.APPROVED))
        moved_on = await self._added(store, application(uscc(), status=S.REVOKED))
        later = AT + timedelta(days=30)
        registered = move(S.IN_PUBLICITY, S.REGISTERED, by_event=True)
        async with store.transaction() as uow:
            with pytest.raises(ValueError, match="registered only"):
                await uow.applications.register_many(
                    [RegistrationMove(approved.id, move(S.APPROVED, S.IN_PUBLICITY), later, "N")]
                )
            twice = RegistrationMove(publicity.id, registered, later, "N-0")
            with pytest.raises(ValueError, match="at most once"):
                await uow.applications.register_many([twice, twice])
            moved = await uow.applications.register_many(
                [
                    RegistrationMove(publicity.id, registered, later, "N-1"),
                    RegistrationMove(
                        approved.id, move(S.APPROVED, S.REGISTERED, by_event=True), later, "N-2"
                    ),
                    # no longer in a source the run checked: not written
                    RegistrationMove(moved_on.id, registered, later, "N-3"),
                    RegistrationMove(uuid.uuid4(), registered, later, "N-4"),  # not here
                ]
            )
            assert sorted(moved) == sorted([publicity.id, approved.id])
            assert await uow.applications.register_many([]) == []
        async with store.transaction() as uow:
            for row, number in ((publicity, "N-1"), (approved, "N-2")):
                found = await uow.applications.get(row.id)
                assert found is not None
                assert (found.status, found.registration_number, found.updated_at) == (
                    "registered",
                    number,
                    later,
                )
                timeline = await uow.applications.timeline(row.id)
                assert [(t.status, t.at, t.reason) for t in timeline][1:] == [
                    ("registered", later, number)
                ]
            found = await uow.applications.get(moved_on.id)
            assert found is not None
            assert (found.status, found.registration_number) == ("revoked", None)
            assert len(await uow.applications.timeline(moved_on.id)) == 1

    async def test_drafts_to_close_are_the_years_drafts(
        self, store: Store, uscc: Callable[[], str]
    ) -> None:
        draft = await self._added(store, application(uscc()))
        submitted = await self._added(store, application(uscc(), status=S.SUBMITTED))
        last_year = await self._added(store, application(uscc(), year=2025))
        async with store.transaction() as uow:
            ids = {r.id for r in await uow.applications.drafts_to_close(2026)}
            assert draft.id in ids
            assert not ids & {submitted.id, last_year.id}

    async def test_a_revocation_is_remembered_once(
        self, store: Store, uscc: Callable[[], str]
    ) -> None:
        enterprise = uscc()
        bar = Revocation(
            number=f"R-{uuid.uuid4().hex[:8]}", registration_year=2026, revoked_on=date(2026, 5, 1)
        )
        async with store.transaction() as uow:
            assert await uow.applications.add_revocation(enterprise, bar, "fraud")
        async with store.transaction() as uow:
            assert not await uow.applications.add_revocation(enterprise, bar, "fraud")
            assert await uow.applications.revocations_of(enterprise) == [bar]

    async def test_documents_are_added_found_measured_and_removed(
        self, store: Store, uscc: Callable[[], str]
    ) -> None:
        app = await self._added(store, application(uscc()))
        sha_a, sha_b = uuid.uuid4().hex * 2, uuid.uuid4().hex * 2
        first, same_bytes, other = document(app, sha_a), document(app, sha_a), document(app, sha_b)
        other.size = 25
        async with store.transaction() as uow:
            for row in (first, same_bytes, other):
                await uow.documents.add(row)
        async with store.transaction() as uow:
            found = await uow.documents.get(first.id)
            assert found is not None
            assert found.sha256 == sha_a
            assert await uow.documents.get(uuid.uuid4()) is None
            assert await uow.documents.stored_bytes(app.id) == 10 + 25  # one object per content
            assert await uow.documents.stored_bytes(uuid.uuid4()) == 0
            assert await uow.documents.key_in_use(f"k/{sha_a}")
            assert not await uow.documents.key_in_use("k/none")
            await uow.documents.remove(found)
        async with store.transaction() as uow:
            assert {d.id for d in await uow.documents.of_application(app.id)} == {
                same_bytes.id,
                other.id,
            }

    async def test_keys_in_use_and_documents_past_retention(
        self, store: Store, uscc: Callable[[], str]
    ) -> None:
        withdrawn = await self._added(store, application(uscc(), status=S.WITHDRAWN))
        registered = await self._added(store, application(uscc(), status=S.REGISTERED))
        draft = await self._added(store, application(uscc()))
        docs = {
            app.id: document(app, uuid.uuid4().hex * 2) for app in (withdrawn, registered, draft)
        }
        for row in docs.values():
            await store.seed_document(row)
        ended = ["withdrawn", "rejected"]
        async with store.transaction() as uow:
            keys = [docs[withdrawn.id].object_key, "k/none"]
            assert await uow.documents.keys_in_use(keys) == {docs[withdrawn.id].object_key}
            assert await uow.documents.keys_in_use([]) == set()

            def ids(rows: list[DocumentRow]) -> set[uuid.UUID]:
                return {d.id for d in rows} & {d.id for d in docs.values()}

            long_ago = await uow.documents.past_retention(
                2026, ended=ended, ended_before=AT + timedelta(days=1)
            )
            assert ids(long_ago) == {docs[withdrawn.id].id}
            recent = await uow.documents.past_retention(
                2026, ended=ended, ended_before=AT - timedelta(days=1)
            )
            assert ids(recent) == set()
            with_numbers = await uow.documents.past_retention(2026, ended=["registered"])
            assert ids(with_numbers) == {docs[registered.id].id}
            assert ids(await uow.documents.past_retention(2025, ended=["registered"])) == set()

    async def test_an_enterprise_profile_is_saved_and_found(
        self, store: Store, uscc: Callable[[], str]
    ) -> None:
        enterprise = uscc()
        async with store.transaction() as uow:
            assert await uow.enterprises.get(enterprise) is None
            await uow.enterprises.save(
                EnterpriseRow(
                    uscc=enterprise,
                    name="测试企业",
                    region_code="150105",
                    agency="150100",
                    profile={"name": "测试企业"},
                    uscc_checksum_ok=False,
                    created_at=AT,
                    updated_at=AT,
                )
            )
        async with store.transaction() as uow:
            found = await uow.enterprises.get(enterprise, for_update=True)
            assert found is not None
            assert (found.name, found.agency, found.uscc_checksum_ok) == (
                "测试企业",
                "150100",
                False,
            )
            found.name = "新名称"
            await uow.enterprises.save(found)
        async with store.transaction() as uow:
            found = await uow.enterprises.get(enterprise)
            assert found is not None
            assert found.name == "新名称"
