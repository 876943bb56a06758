"""Evidence documents through the HTTP API, on a real database and a real S3 server
(S3Proxy): upload, list, read, delete, the rules of what is accepted, required evidence at
submit, and the jobs (orphans, retention)."""

from __future__ import annotations

import hashlib
import io
import struct
import tracemalloc
import zipfile
import zlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select, update

from intake.adapters.object_store import DocumentStore, object_key
from intake.adapters.tables import ApplicationRow, DocumentRow
from intake.adapters.unit_of_work import SqlIntakeUnitOfWorkFactory
from intake.service_layer.document_jobs import apply_retention, remove_orphan_objects
from localdev.evidence import sample_pdf
from shared.platform.runtime import ServiceRuntime

from ..conftest import HOME_AGENCY, OTHER_AGENCY, uscc_no

SUBMITTED = "cn.sme.application.submitted.v1"


def _png() -> bytes:
    """A valid 1x1 greyscale PNG, every chunk with its CRC."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x80")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PNG_1X1 = _png()


def _ofd() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>")
        package.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    return buffer.getvalue()


async def upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    application_id: str,
    content: bytes,
    kind: str = "financial_statements",
    refers_to: str | None = None,
    filename: str = "report.pdf",
    declared: str = "application/octet-stream",
) -> httpx.Response:
    data = {"kind": kind, **({"refers_to": refers_to} if refers_to else {})}
    return await client.post(
        f"/api/v1/applications/{application_id}/documents",
        headers=headers,
        files={"file": (filename, content, declared)},
        data=data,
    )


async def test_upload_list_and_read_back_the_same_bytes(
    filing: Any, tokens: Any, audit: Any
) -> None:
    draft = await filing.create(1)
    me = filing.as_enterprise(1)
    content = sample_pdf("financial statements 2025")
    response = await upload(filing.client, me, draft["id"], content, filename="财务报告.pdf")
    assert response.status_code == 201, response.text
    document = response.json()
    assert document["sha256"] == hashlib.sha256(content).hexdigest()
    assert document["size"] == len(content)
    assert document["media_type"] == "application/pdf"
    assert document["filename"] == "财务报告.pdf"
    assert document["readable"] is True

    listed = await filing.client.get(f"/api/v1/applications/{draft['id']}/documents", headers=me)
    assert [d["id"] for d in listed.json()["items"]] == [document["id"]]

    for headers in (me, tokens.agency(HOME_AGENCY), tokens.province()):
        read = await filing.client.get(
            f"/api/v1/documents/{document['id']}/content", headers=headers
        )
        assert read.status_code == 200, read.text
        assert hashlib.sha256(read.content).hexdigest() == document["sha256"]
        assert read.headers["content-type"] == "application/pdf"
    reads = await audit.records("document.read")
    assert [r["actor_role"] for r in reads] == ["agency", "province"]  # the owner's is not
    assert reads[0]["after"]["uscc"] == uscc_no(1)


async def test_other_enterprises_and_agencies_get_404_external_403_anonymous_401(
    filing: Any, tokens: Any
) -> None:
    draft = await filing.create(2)
    document = (
        await upload(filing.client, filing.as_enterprise(2), draft["id"], sample_pdf("x2"))
    ).json()
    content = f"/api/v1/documents/{document['id']}/content"
    listing = f"/api/v1/applications/{draft['id']}/documents"
    for path in (content, listing):
        assert (await filing.client.get(path, headers=filing.as_enterprise(3))).status_code == 404
        assert (
            await filing.client.get(path, headers=tokens.agency(OTHER_AGENCY))
        ).status_code == 404
        assert (await filing.client.get(path, headers=tokens.external())).status_code == 403
        assert (await filing.client.get(path)).status_code == 401
    other = await upload(filing.client, filing.as_enterprise(3), draft["id"], sample_pdf("x3"))
    assert other.status_code == 404
    by_agency = await upload(
        filing.client, tokens.agency(HOME_AGENCY), draft["id"], sample_pdf("a")
    )
    assert by_agency.status_code == 403


async def test_types_are_judged_by_content_not_by_name(filing: Any) -> None:
    draft = await filing.create(4)
    me = filing.as_enterprise(4)
    executable = b"MZ\x90\x00\x03" + b"\x00" * 4000
    renamed = await upload(filing.client, me, draft["id"], executable, declared="application/pdf")
    assert renamed.status_code == 422
    [detail] = renamed.json()["error"]["details"]
    assert detail["loc"] == ["body", "file"]
    assert detail["type"] == "unsupported_type"

    png_named_pdf = await upload(filing.client, me, draft["id"], PNG_1X1, filename="scan.pdf")
    assert png_named_pdf.status_code == 201
    assert png_named_pdf.json()["media_type"] == "image/png"
    assert png_named_pdf.json()["readable"] is True

    mismatch = await upload(
        filing.client, me, draft["id"], PNG_1X1, filename="scan.pdf", declared="application/pdf"
    )
    assert mismatch.status_code == 422
    assert mismatch.json()["error"]["details"][0]["type"] == "type_mismatch"

    ofd = await upload(filing.client, me, draft["id"], _ofd(), filename="report.ofd")
    assert ofd.status_code == 201
    assert ofd.json()["media_type"] == "application/ofd"
    docx_like = io.BytesIO()
    with zipfile.ZipFile(docx_like, "w") as package:
        package.writestr("word/document.xml", "<w/>")
    assert (await upload(filing.client, me, draft["id"], docx_like.getvalue())).status_code == 422

    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 64 + b"\xff\xd9"
    assert (await upload(filing.client, me, draft["id"], jpeg)).json()["media_type"] == "image/jpeg"


async def test_unreadable_evidence_is_accepted_and_marked(filing: Any) -> None:
    draft = await filing.create(5)
    me = filing.as_enterprise(5)
    truncated = sample_pdf("cut")[:-40]  # no %%EOF
    pdf = await upload(filing.client, me, draft["id"], truncated)
    assert pdf.status_code == 201
    assert pdf.json()["readable"] is False
    broken_png = PNG_1X1[:23] + b"\x02" + PNG_1X1[24:]  # height 2 in IHDR: its CRC fails
    png = await upload(filing.client, me, draft["id"], broken_png, filename="x.png")
    assert png.status_code == 201
    assert png.json()["readable"] is False


async def test_empty_unknown_kind_and_unknown_refers_to_are_422_with_the_field(
    filing: Any,
) -> None:
    draft = await filing.create(6)
    me = filing.as_enterprise(6)
    empty = await upload(filing.client, me, draft["id"], b"")
    assert empty.status_code == 422
    assert empty.json()["error"]["details"][0]["loc"] == ["body", "file"]
    kind = await upload(filing.client, me, draft["id"], sample_pdf("k"), kind="photo")
    assert [d["loc"] for d in kind.json()["error"]["details"]] == [["body", "kind"]]
    ip = await upload(
        filing.client, me, draft["id"], sample_pdf("i"), kind="ip_certificate", refers_to="ZL0"
    )
    assert [d["loc"] for d in ip.json()["error"]["details"]] == [["body", "refers_to"]]
    fast = await upload(filing.client, me, draft["id"], sample_pdf("f"), kind="fast_track_evidence")
    assert [d["loc"] for d in fast.json()["error"]["details"]] == [["body", "refers_to"]]
    listed = await filing.client.get(f"/api/v1/applications/{draft['id']}/documents", headers=me)
    assert listed.json()["items"] == []


async def test_a_21_mb_file_is_413_without_holding_it_in_memory(filing: Any) -> None:
    draft = await filing.create(7)
    me = filing.as_enterprise(7)
    block = b"%PDF-1.7\n" + b"0" * (64 * 1024 - 9)
    boundary = "sme-test-boundary"

    async def body() -> AsyncIterator[bytes]:  # streamed: no Content-Length to go by
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n'
            f"financial_statements\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f'name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        for _ in range(21 * 16):  # 21 MB in 64 KB blocks
            yield block
        yield f"\r\n--{boundary}--\r\n".encode()

    tracemalloc.start()
    try:
        response = await filing.client.post(
            f"/api/v1/applications/{draft['id']}/documents",
            headers={**me, "Content-Type": f"multipart/form-data; boundary={boundary}"},
            content=body(),
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 413, response.text
    assert response.json()["error"]["code"] == "file_too_large"
    assert peak < 8 * 1024 * 1024, f"peak {peak} bytes while refusing a 21 MB upload"

    announced = await filing.client.post(
        f"/api/v1/applications/{draft['id']}/documents",
        headers={
            **me,
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(2 * 1024**3),  # 2 GB announced: refused before reading
        },
        content=b"",
    )
    assert announced.status_code == 413


async def test_the_same_bytes_twice_are_one_object(filing: Any, runtime: ServiceRuntime) -> None:
    draft = await filing.create(8)
    me = filing.as_enterprise(8)
    content = sample_pdf("twice")
    first = (await upload(filing.client, me, draft["id"], content)).json()
    second = (await upload(filing.client, me, draft["id"], content, kind="other")).json()
    assert first["sha256"] == second["sha256"]
    assert first["id"] != second["id"]
    store: DocumentStore = runtime.extras["documents"]
    keys = [o.key async for o in store.list_objects(f"applications/{draft['id']}/")]
    assert [k for k in keys if k.count("/") == 2] == [object_key_of(draft["id"], first["sha256"])]


def object_key_of(application_id: str, sha256: str) -> str:
    import uuid

    return object_key(uuid.UUID(application_id), sha256)


async def test_submit_names_each_missing_item_and_then_carries_the_metadata(
    filing: Any, emitted: Any
) -> None:
    draft = await filing.create(9)
    me = filing.as_enterprise(9)
    submit = f"/api/v1/applications/{draft['id']}/submit"
    refused = await filing.client.post(submit, headers=me)
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["code"] == "evidence_missing"
    assert [d["loc"] for d in error["details"]] == [
        ["body", "finance"],
        ["body", "fast_track", 0],
        ["body", "ip", 0],  # an invention patent is Class I
    ]
    await filing.upload(draft, "financial_statements", n=9)
    await filing.upload(draft, "ip_certificate", "ZL202110000001.1", n=9)
    still = await filing.client.post(submit, headers=me)
    assert [d["loc"] for d in still.json()["error"]["details"]] == [["body", "fast_track", 0]]
    evidence = await filing.upload(draft, "fast_track_evidence", "GR202315000001", n=9)

    assert (await filing.client.post(submit, headers=me)).status_code == 200
    [event] = await emitted.envelopes(SUBMITTED)
    documents = event["data"]["documents"]
    assert {(d["kind"], d["refers_to"]) for d in documents} == {
        ("financial_statements", None),
        ("ip_certificate", "ZL202110000001.1"),
        ("fast_track_evidence", "GR202315000001"),
    }
    shown = next(d for d in documents if d["id"] == evidence["id"])
    assert shown["sha256"] == evidence["sha256"]
    assert shown["size"] == evidence["size"]
    assert "content" not in shown
    assert "filename" not in shown

    # Submitted: immutable, and nothing can be added.
    deleted = await filing.client.delete(
        f"/api/v1/applications/{draft['id']}/documents/{evidence['id']}", headers=me
    )
    assert deleted.status_code == 409
    added = await upload(filing.client, me, draft["id"], sample_pdf("late"))
    assert added.status_code == 409


async def test_delete_before_submitting(filing: Any) -> None:
    draft = await filing.create(10)
    me = filing.as_enterprise(10)
    document = await filing.upload(draft, "other", n=10)
    path = f"/api/v1/applications/{draft['id']}/documents/{document['id']}"
    assert (await filing.client.delete(path, headers=filing.as_enterprise(11))).status_code == 404
    assert (await filing.client.delete(path, headers=me)).status_code == 204
    assert (await filing.client.delete(path, headers=me)).status_code == 404
    read = await filing.client.get(f"/api/v1/documents/{document['id']}/content", headers=me)
    assert read.status_code == 404


async def test_reuse_by_another_enterprise_travels_with_the_submission(
    filing: Any, emitted: Any
) -> None:
    shared_bytes = sample_pdf("one statement for two enterprises")
    first = await filing.create(12)
    await upload(filing.client, filing.as_enterprise(12), first["id"], shared_bytes)
    second = await filing.create(13)
    await upload(filing.client, filing.as_enterprise(13), second["id"], shared_bytes)
    await filing.submit(second, 13)
    [event] = await emitted.envelopes(SUBMITTED)
    reused = {
        d["sha256"]: d["reused_by"]
        for d in event["data"]["documents"]
        if d["kind"] == "financial_statements"
    }
    # The shared statement names the other enterprise; the helper's own upload names none.
    assert reused.pop(hashlib.sha256(shared_bytes).hexdigest()) == [uscc_no(12)]
    assert list(reused.values()) == [[]]


async def test_orphan_objects_are_removed_and_rows_keep_theirs(
    filing: Any, runtime: ServiceRuntime
) -> None:
    draft = await filing.create(14)
    kept = await filing.upload(draft, "other", n=14)
    store: DocumentStore = runtime.extras["documents"]
    orphan = object_key_of(draft["id"], "f" * 64)  # as if the row's commit had failed
    import tempfile
    from pathlib import Path

    with tempfile.NamedTemporaryFile() as file:
        file.write(b"%PDF-1.4 orphan")
        file.flush()
        await store.put_file(orphan, Path(file.name))
    now = datetime.now(UTC)
    # Only this application's objects: the bucket is shared with the other tests' databases.
    mine = f"applications/{draft['id']}/"
    work = SqlIntakeUnitOfWorkFactory(runtime.uow)
    assert await remove_orphan_objects(work, store, now, prefix=mine) == 0  # in grace
    later = now + timedelta(hours=2)
    assert await remove_orphan_objects(work, store, later, prefix=mine) == 1
    assert not await store.exists(orphan)
    assert await store.exists(object_key_of(draft["id"], kept["sha256"]))


async def test_retention_deletes_documents_of_long_ended_applications_audited(
    filing: Any, runtime: ServiceRuntime, audit: Any, clock: Any
) -> None:
    draft = await filing.create(15)
    document = await filing.upload(draft, "other", n=15)
    me = filing.as_enterprise(15)
    assert (
        await filing.client.post(f"/api/v1/applications/{draft['id']}/withdraw", headers=me)
    ).status_code == 200
    store: DocumentStore = runtime.extras["documents"]
    now = clock.now()
    work = SqlIntakeUnitOfWorkFactory(runtime.uow)
    assert await apply_retention(work, store, runtime.policies, now) == 0
    async with runtime.db.sessions() as session, session.begin():
        await session.execute(
            update(ApplicationRow)
            .where(ApplicationRow.id == draft["id"])
            .values(updated_at=now - timedelta(days=4 * 365))
        )
    assert await apply_retention(work, store, runtime.policies, now) == 1
    async with runtime.db.sessions() as session:
        left = (await session.execute(select(func.count()).select_from(DocumentRow))).scalar()
    assert left == 0
    [record] = await audit.records("document.retention_delete")
    assert record["entity_id"] == document["id"]
    assert not await store.exists(object_key_of(draft["id"], document["sha256"]))


async def test_after_a_return_new_documents_are_added_and_the_old_stay_readable(
    filing: Any, events: Any
) -> None:
    from .test_status_events_api import decided, opened

    draft = await filing.create(16)
    me = filing.as_enterprise(16)
    await filing.upload_evidence(draft, 16)
    application = await filing.submit(draft, 16, with_evidence=False)
    old = (
        await filing.client.get(f"/api/v1/applications/{draft['id']}/documents", headers=me)
    ).json()["items"]
    assert all(d["deletable"] is False for d in old)
    await events.deliver(opened(application))
    await events.deliver(decided(application, "return", "请补充研发费用辅助账"))
    assert (await filing.read(application, 16))["status"] == "returned"

    ledger = await filing.upload(application, "rd_expense_ledger", n=16)
    documents = f"/api/v1/applications/{draft['id']}/documents"
    refused = await filing.client.delete(f"{documents}/{old[0]['id']}", headers=me)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "document_immutable"
    read = await filing.client.get(f"/api/v1/documents/{old[0]['id']}/content", headers=me)
    assert read.status_code == 200
    listed = (await filing.client.get(documents, headers=me)).json()["items"]
    assert {d["id"]: d["deletable"] for d in listed} == {
        **{d["id"]: False for d in old},
        ledger["id"]: True,
    }
    assert (
        await filing.client.delete(f"{documents}/{ledger['id']}", headers=me)
    ).status_code == 204
