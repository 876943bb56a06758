"""Use cases of evidence documents: upload, list, read, delete (contract.md Round 2).

Consistency between the object store and the database: the object is stored first, the
row is written after it in one transaction with its audit record. A crash or an outage
between the two leaves an object without a row — invisible (only rows are listed or read)
and removed by `remove_orphan_objects` after a grace period — never a row without its
object. Deleting a document removes its row; its bytes go the same way as an orphan, so a
concurrent upload of the same content (same key) can never lose its object.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from intake.adapters.object_store import DocumentStore, object_key
from intake.adapters.tables import ApplicationRow, DocumentRow
from intake.domain.documents import (
    DocumentKind,
    MediaType,
    readable,
    refers_to_problem,
    sniff,
)
from intake.domain.errors import ApplicationNotFound, NotEditable
from intake.domain.status import EDITABLE, ApplicationStatus
from intake.service_layer.unit_of_work import IntakeUnitOfWorkFactory
from intake.views import APPLICATIONS
from shared.kernel.errors import (
    Conflict,
    FieldError,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    field_error,
)
from shared.kernel.evaluation.form import InformationForm
from shared.kernel.policy.model import Policy
from shared.platform.auth.principal import Principal, Role


class DocumentNotFound(NotFound):
    code = "document_not_found"
    message = "未找到该材料"
    message_en = "Document not found"


class DocumentImmutable(Conflict):
    code = "document_immutable"
    message = "已随申请提交的材料不能删除；被退回后可补充新的材料"
    message_en = (
        "A document submitted with the application cannot be deleted; after a return new "
        "documents may be added"
    )


class DocumentRefused(InvalidInput):
    code = "document_refused"
    message = "材料不符合要求"
    message_en = "The document is not acceptable"


class ApplicationDocumentsTooLarge(PayloadTooLarge):
    code = "application_documents_too_large"

    def __init__(self, limit: int) -> None:
        mb = limit / (1024 * 1024)
        super().__init__(
            message=f"一份申请的材料合计不能超过{mb:g}MB",
            message_en=f"The documents of one application may not exceed {mb:g} MB in total",
            details=[field_error(["body", "file"], "材料合计过大", "total too large", "too_large")],
        )


@dataclass
class ReceivedUpload:
    """The parsed upload: the file on disk (deleted by `discard`) and the text fields."""

    path: Path | None = None
    filename: str = ""
    declared_type: str = ""
    size: int = 0
    sha256: str = ""
    head: bytes = b""
    fields: dict[str, str] = field(default_factory=dict)

    def discard(self) -> None:
        if self.path is not None:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()


_DECLARED_ALIASES = {"image/jpg": MediaType.JPEG.value, "image/pjpeg": MediaType.JPEG.value}


async def application_for_upload(
    uow_factory: IntakeUnitOfWorkFactory, principal: Principal, application_id: uuid.UUID
) -> ApplicationRow:
    """The enterprise's own application, while documents may still be added (checked again
    under the row lock when the document is saved)."""
    async with uow_factory(principal.actor) as uow:
        row = await uow.applications.get(application_id)
    _ensure_may_add(row, principal)
    assert row is not None
    return row


def _ensure_may_add(row: ApplicationRow | None, principal: Principal) -> None:
    if row is None or row.uscc != principal.uscc:
        raise ApplicationNotFound()
    if ApplicationStatus(row.status) not in EDITABLE:
        raise NotEditable(row.status)


def _judge(
    received: ReceivedUpload, application: ApplicationRow
) -> tuple[DocumentKind, str | None, MediaType]:
    """422 with the field for a bad kind, refers_to, empty file or unaccepted content."""
    problems: list[FieldError] = []
    raw_kind = received.fields.get("kind", "").strip()
    kind: DocumentKind | None = None
    try:
        kind = DocumentKind(raw_kind)
    except ValueError:
        problems.append(
            field_error(
                ["body", "kind"],
                "材料类型应为 " + "、".join(k.value for k in DocumentKind),
                "kind must be one of " + ", ".join(k.value for k in DocumentKind),
                "enum",
            )
        )
    refers_to = received.fields.get("refers_to", "").strip() or None
    if kind is not None:
        form = InformationForm.model_validate(application.form)
        problem = refers_to_problem(kind, refers_to, form)
        if problem is not None:
            problems.append(problem)
    media_type: MediaType | None = None
    if received.path is None:
        problems.append(field_error(["body", "file"], "缺少文件", "file is missing", "missing"))
    elif received.size == 0:
        problems.append(field_error(["body", "file"], "文件为空", "the file is empty", "empty"))
    else:
        media_type = sniff(received.head, received.path)
        if media_type is None:
            problems.append(
                field_error(
                    ["body", "file"],
                    "文件内容不是可接受的类型（PDF、OFD、JPEG、PNG），与文件名无关",
                    "the content is none of the accepted types (PDF, OFD, JPEG, PNG), "
                    "whatever the file name says",
                    "unsupported_type",
                )
            )
        else:
            declared = _DECLARED_ALIASES.get(received.declared_type, received.declared_type)
            accepted = {m.value for m in MediaType}
            if declared in accepted and declared != media_type.value:
                problems.append(
                    field_error(
                        ["body", "file"],
                        f"声明的类型 {declared} 与文件内容（{media_type.value}）不符",
                        f"the declared type {declared} does not match the content "
                        f"({media_type.value})",
                        "type_mismatch",
                    )
                )
    if problems or kind is None or media_type is None:
        raise DocumentRefused(details=problems)
    return kind, refers_to, media_type


async def save_upload(
    uow_factory: IntakeUnitOfWorkFactory,
    store: DocumentStore,
    principal: Principal,
    application: ApplicationRow,
    received: ReceivedUpload,
    policy: Policy,
    now: datetime,
) -> DocumentRow:
    kind, refers_to, media_type = _judge(received, application)
    assert received.path is not None
    is_readable = readable(media_type, received.path)
    key = object_key(application.id, received.sha256)
    async with uow_factory(principal.actor) as uow:
        stored = await uow.documents.stored_bytes(application.id)
        new_content = not await uow.documents.key_in_use(key)
    limit = policy.evidence.max_application_bytes
    if new_content and stored + received.size > limit:
        raise ApplicationDocumentsTooLarge(limit)
    # The object first: if this fails nothing was written (503); if what follows fails,
    # the object is an invisible orphan until the periodic job removes it.
    await store.put_file(key, received.path)
    async with uow_factory(principal.actor) as uow:
        row = await uow.applications.get(application.id, for_update=True)
        _ensure_may_add(row, principal)
        assert row is not None
        document = DocumentRow(
            id=uuid.uuid4(),
            application_id=row.id,
            uscc=row.uscc,
            year=row.year,
            kind=kind.value,
            refers_to=refers_to,
            filename=received.filename,
            media_type=media_type.value,
            size=received.size,
            sha256=received.sha256,
            object_key=key,
            readable=is_readable,
            round=row.round,
            uploaded_at=now,
        )
        await uow.documents.add(document)
        await uow.audit.record(
            "document.upload",
            "application_document",
            str(document.id),
            after=metadata_of(document),
        )
    return document


def metadata_of(document: DocumentRow) -> dict[str, object]:
    """What leaves intake about a document (events, audit): never its content."""
    return {
        "id": str(document.id),
        "application_id": str(document.application_id),
        "kind": document.kind,
        "refers_to": document.refers_to,
        "filename": document.filename,
        "media_type": document.media_type,
        "size": document.size,
        "sha256": document.sha256,
        "readable": document.readable,
    }


async def readable_application(
    uow_factory: IntakeUnitOfWorkFactory, principal: Principal, application_id: uuid.UUID
) -> tuple[ApplicationRow, list[DocumentRow]]:
    """The owner, the routed agency, the province; anyone else: 404."""
    async with uow_factory(principal.actor) as uow:
        row = APPLICATIONS.require(
            principal, await uow.applications.get(application_id), ApplicationNotFound()
        )
        return row, await uow.documents.of_application(row.id)


@dataclass
class Content:
    document: DocumentRow
    chunks: AsyncIterator[bytes]


async def read_content(
    uow_factory: IntakeUnitOfWorkFactory,
    store: DocumentStore,
    principal: Principal,
    document_id: uuid.UUID,
) -> Content:
    """The bytes as uploaded. A read by an agency or the province is audited (PIPL: who
    read which enterprise's documents, when) — recorded once the store has answered."""
    async with uow_factory(principal.actor) as uow:
        document = await uow.documents.get(document_id)
        application = (
            await uow.applications.get(document.application_id) if document is not None else None
        )
    if document is None:
        raise DocumentNotFound()
    application = APPLICATIONS.require(principal, application, DocumentNotFound())
    chunks = await store.read(document.object_key)
    if principal.role in (Role.AGENCY, Role.PROVINCE):
        async with uow_factory(principal.actor) as uow:
            await uow.audit.record(
                "document.read",
                "application_document",
                str(document.id),
                after={
                    "uscc": application.uscc,
                    "application_id": str(application.id),
                    "kind": document.kind,
                    "sha256": document.sha256,
                },
            )
    return Content(document, chunks)


async def delete_document(
    uow_factory: IntakeUnitOfWorkFactory,
    principal: Principal,
    application_id: uuid.UUID,
    document_id: uuid.UUID,
) -> None:
    async with uow_factory(principal.actor) as uow:
        row = await uow.applications.get(application_id, for_update=True)
        if row is None or row.uscc != principal.uscc:
            raise ApplicationNotFound()
        document = await uow.documents.get(document_id)
        if document is None or document.application_id != row.id:
            raise DocumentNotFound()
        if ApplicationStatus(row.status) not in EDITABLE:
            raise NotEditable(row.status)
        if document.round != row.round:
            raise DocumentImmutable()
        await uow.documents.remove(document)
        await uow.audit.record(
            "document.delete",
            "application_document",
            str(document.id),
            before=metadata_of(document),
        )


def may_delete_any(application: ApplicationRow, principal: Principal) -> bool:
    """Whether the caller may delete this application's documents of the current round."""
    return (
        principal.role is Role.ENTERPRISE
        and principal.uscc == application.uscc
        and ApplicationStatus(application.status) in EDITABLE
    )
