"""Evidence-document use cases against the in-memory unit of work and an in-memory object
store (milliseconds): who may add, read and delete, what a refused upload leaves behind
(nothing), the per-application size limit, and which reads are audited."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from intake.adapters.in_memory import InMemoryIntakeUnitOfWork
from intake.adapters.tables import ApplicationRow
from intake.domain.errors import ApplicationNotFound, NotEditable
from intake.service_layer import applications, documents
from localdev.evidence import sample_pdf
from shared.kernel.codes.uscc import with_check_digit
from shared.kernel.evaluation.samples import sample_form
from shared.kernel.policy import shipped_policy
from shared.platform.auth.principal import Principal, Role

NOW = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)
USCC = with_check_digit("91150105MA0Q40001")
ME = Principal(sub="u1", role=Role.ENTERPRISE, uscc=USCC)
SOMEONE_ELSE = Principal(sub="u2", role=Role.ENTERPRISE, uscc=with_check_digit("91150105MA0Q40002"))
AGENCY = Principal(sub="a1", role=Role.AGENCY, org="150100")
OTHER_AGENCY = Principal(sub="a2", role=Role.AGENCY, org="150200")
POLICY = shipped_policy(2026)


class MemoryStore:
    """The object store's calls the use cases make, on a dict."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}

    async def put_file(self, key: str, path: Path) -> None:
        self.objects[key] = path.read_bytes()

    async def read(self, key: str) -> AsyncIterator[bytes]:
        content = self.objects[key]

        async def chunks() -> AsyncIterator[bytes]:
            yield content

        return chunks()


@pytest.fixture
def uow() -> InMemoryIntakeUnitOfWork:
    return InMemoryIntakeUnitOfWork()


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


def _received(tmp_path: Path, content: bytes, **fields: str) -> documents.ReceivedUpload:
    path = tmp_path / uuid.uuid4().hex
    path.write_bytes(content)
    return documents.ReceivedUpload(
        path=path,
        filename="报表.pdf",
        declared_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        head=content[:16],
        fields={"kind": "financial_statements", **fields},
    )


async def _draft(uow: InMemoryIntakeUnitOfWork) -> ApplicationRow:
    return await applications.create_draft(
        uow, ME, sample_form({"enterprise.uscc": USCC}), POLICY, NOW
    )


async def _upload(
    uow: InMemoryIntakeUnitOfWork,
    store: MemoryStore,
    row: ApplicationRow,
    received: documents.ReceivedUpload,
    policy: Any = POLICY,
) -> Any:
    application = await documents.application_for_upload(uow, ME, row.id)
    return await documents.save_upload(
        uow,
        store,
        ME,
        application,
        received,
        policy,
        NOW,  # type: ignore[arg-type]
    )


async def test_an_upload_stores_the_object_then_the_audited_row(
    uow: InMemoryIntakeUnitOfWork, store: MemoryStore, tmp_path: Path
) -> None:
    row = await _draft(uow)
    content = sample_pdf("balance sheet")
    document = await _upload(uow, store, row, _received(tmp_path, content))
    assert store.objects[document.object_key] == content
    assert await uow.documents.of_application(row.id) == [document]
    assert (document.kind, document.media_type, document.round) == (
        "financial_statements",
        "application/pdf",
        0,
    )
    assert uow.audit.records[-1].action == "document.upload"
    assert "content" not in uow.audit.records[-1].after  # metadata only, never the bytes


@pytest.mark.parametrize(
    ("content", "fields", "field"),
    [
        (sample_pdf("x"), {"kind": "selfie"}, "kind"),
        (sample_pdf("x"), {"kind": "ip_certificate", "refers_to": "no-such-ip"}, "refers_to"),
        (b"MZ\x90\x00 an executable named .pdf", {}, "file"),
        (b"", {}, "file"),
    ],
)
async def test_a_refused_upload_is_422_with_its_field_and_leaves_nothing(
    uow: InMemoryIntakeUnitOfWork,
    store: MemoryStore,
    tmp_path: Path,
    content: bytes,
    fields: dict[str, str],
    field: str,
) -> None:
    row = await _draft(uow)
    with pytest.raises(documents.DocumentRefused) as refused:
        await _upload(uow, store, row, _received(tmp_path, content, **fields))
    assert ["body", field] in [d["loc"] for d in refused.value.details]
    assert (store.objects, await uow.documents.of_application(row.id)) == ({}, [])


async def test_the_application_total_is_limited_but_the_same_content_again_is_free(
    uow: InMemoryIntakeUnitOfWork, store: MemoryStore, tmp_path: Path
) -> None:
    row = await _draft(uow)
    content = sample_pdf("big")
    policy = POLICY.model_copy(
        update={
            "evidence": POLICY.evidence.model_copy(
                update={"max_application_bytes": len(content) + 10}
            )
        }
    )
    await _upload(uow, store, row, _received(tmp_path, content), policy)
    await _upload(uow, store, row, _received(tmp_path, content), policy)  # one object
    with pytest.raises(documents.ApplicationDocumentsTooLarge):
        await _upload(uow, store, row, _received(tmp_path, sample_pdf("another")), policy)
    assert len(store.objects) == 1
    assert len(await uow.documents.of_application(row.id)) == 2


async def test_only_the_owner_adds_and_only_while_editable(
    uow: InMemoryIntakeUnitOfWork, store: MemoryStore, tmp_path: Path
) -> None:
    row = await _draft(uow)
    with pytest.raises(ApplicationNotFound):
        await documents.application_for_upload(uow, SOMEONE_ELSE, row.id)
    application = await documents.application_for_upload(uow, ME, row.id)
    row.status = "submitted"  # submitted between the check and the save
    with pytest.raises(NotEditable):
        await documents.save_upload(
            uow,
            store,
            ME,
            application,
            _received(tmp_path, sample_pdf("late")),
            POLICY,
            NOW,  # type: ignore[arg-type]
        )
    assert await uow.documents.of_application(row.id) == []


async def test_a_document_of_the_current_round_may_be_deleted_an_earlier_ones_not(
    uow: InMemoryIntakeUnitOfWork, store: MemoryStore, tmp_path: Path
) -> None:
    row = await _draft(uow)
    submitted_with = await _upload(uow, store, row, _received(tmp_path, sample_pdf("r0")))
    row.round, row.status = 1, "returned"  # submitted, then returned for more evidence
    added_after = await _upload(uow, store, row, _received(tmp_path, sample_pdf("r1")))

    with pytest.raises(documents.DocumentImmutable):
        await documents.delete_document(uow, ME, row.id, submitted_with.id)
    with pytest.raises(ApplicationNotFound):
        await documents.delete_document(uow, SOMEONE_ELSE, row.id, added_after.id)
    with pytest.raises(documents.DocumentNotFound):
        await documents.delete_document(uow, ME, row.id, uuid.uuid4())
    await documents.delete_document(uow, ME, row.id, added_after.id)

    assert await uow.documents.of_application(row.id) == [submitted_with]
    assert uow.audit.records[-1].action == "document.delete"
    assert added_after.object_key in store.objects  # the bytes go later, as an orphan


async def test_reads_by_an_agency_are_audited_and_out_of_scope_is_not_found(
    uow: InMemoryIntakeUnitOfWork, store: MemoryStore, tmp_path: Path
) -> None:
    row = await _draft(uow)
    document = await _upload(uow, store, row, _received(tmp_path, sample_pdf("read me")))
    uploads = len(uow.audit.records)

    content = await documents.read_content(uow, store, ME, document.id)  # type: ignore[arg-type]
    assert b"".join([c async for c in content.chunks]) == sample_pdf("read me")
    assert len(uow.audit.records) == uploads  # the owner's own read is not audited

    await documents.read_content(uow, store, AGENCY, document.id)  # type: ignore[arg-type]
    assert uow.audit.records[-1].action == "document.read"
    assert uow.audit.records[-1].after["uscc"] == USCC

    for stranger in (SOMEONE_ELSE, OTHER_AGENCY):
        with pytest.raises(documents.DocumentNotFound):
            await documents.read_content(uow, store, stranger, document.id)  # type: ignore[arg-type]
        with pytest.raises(ApplicationNotFound):
            await documents.readable_application(uow, stranger, row.id)
    application, listed = await documents.readable_application(uow, AGENCY, row.id)
    assert (application.id, listed) == (row.id, [document])
    assert not documents.may_delete_any(application, AGENCY)
    assert documents.may_delete_any(application, ME)
