"""Evidence documents (证明材料): /api/v1/applications/{id}/documents and
/api/v1/documents/{id}/content (contract.md Round 2)."""

from __future__ import annotations

import tempfile
import uuid
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from intake.adapters.object_store import DocumentStore
from intake.adapters.tables import DocumentRow
from intake.adapters.unit_of_work import SqlIntakeUnitOfWorkFactory
from intake.domain.documents import DocumentKind, MediaType
from intake.entrypoints.api.deps import Enterprise, Reader
from intake.entrypoints.api.upload_stream import receive_upload
from intake.service_layer import documents
from shared.platform.web.deps import Runtime
from shared.platform.web.openapi import binary_response, closed_set, error_responses

router = APIRouter(prefix="/api/v1", tags=["documents"])

_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "kind"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "PDF、OFD、JPEG 或 PNG（按内容判断）/ PDF, OFD, JPEG "
                            "or PNG (judged by content)",
                        },
                        "kind": {
                            "type": "string",
                            "enum": [
                                "financial_statements",
                                "rd_expense_ledger",
                                "ip_certificate",
                                "fast_track_evidence",
                                "other",
                            ],
                            "description": "材料类型 / document kind",
                        },
                        "refers_to": {
                            "type": "string",
                            "description": "ip[].number 或 fast_track[].reference / the form "
                            "item the document proves",
                        },
                    },
                }
            }
        },
    }
}


class DocumentOut(BaseModel):
    id: str = Field(description="材料编号 / document id")
    application_id: str = Field(description="所属申请 / the application")
    kind: Annotated[str, closed_set(DocumentKind)] = Field(description="材料类型 / document kind")
    refers_to: str | None = Field(
        default=None, description="所证明的信息表条目 / the form item it proves"
    )
    filename: str = Field(description="上传时的文件名 / file name as uploaded")
    media_type: Annotated[str, closed_set(MediaType)] = Field(
        description="按内容判断的类型 / type judged by content"
    )
    size: int = Field(description="字节数 / size in bytes")
    sha256: str = Field(description="内容的SHA-256（十六进制）/ SHA-256 of the content (hex)")
    uploaded_at: datetime = Field(description="上传时间 / upload time")
    readable: bool = Field(
        description="内容能否按其类型解析（否则评审预警 evidence_unreadable）/ whether the "
        "content parses as its type (else the evidence_unreadable warning)"
    )
    deletable: bool = Field(
        description="当前能否删除（已随申请提交的材料不可删除）/ whether it may be deleted now "
        "(documents submitted with the application are immutable)"
    )

    @classmethod
    def of(cls, row: DocumentRow, *, deletable: bool = False) -> DocumentOut:
        return cls(
            id=str(row.id),
            application_id=str(row.application_id),
            kind=row.kind,
            refers_to=row.refers_to,
            filename=row.filename,
            media_type=row.media_type,
            size=row.size,
            sha256=row.sha256,
            uploaded_at=row.uploaded_at,
            readable=row.readable,
            deletable=deletable,
        )


class DocumentList(BaseModel):
    items: list[DocumentOut] = Field(description="申请的材料 / the application's documents")


def document_store(runtime: Any) -> DocumentStore:
    store: DocumentStore = runtime.extras["documents"]
    return store


def intake_work(runtime: Any) -> SqlIntakeUnitOfWorkFactory:
    """The runtime's transactions with intake's repositories."""
    return SqlIntakeUnitOfWorkFactory(runtime.uow)


@router.post(
    "/applications/{application_id}/documents",
    status_code=201,
    response_model=DocumentOut,
    operation_id="documents_upload",
    summary="上传证明材料 / Upload an evidence document",
    description=(
        "企业为本企业草稿或被退回的申请上传材料（multipart：file、kind、refers_to）。类型按内容"
        "判断；大小上限取自年度政策（413）。\n\n"
        "The enterprise uploads a document to its own draft or returned application "
        "(multipart: file, kind, refers_to). The type is judged by content; size limits come "
        "from the year's policy (413)."
    ),
    openapi_extra=_UPLOAD_BODY,
    responses=error_responses(409),
)
async def upload_document(
    application_id: uuid.UUID, request: Request, principal: Enterprise, runtime: Runtime
) -> DocumentOut:
    application = await documents.application_for_upload(
        intake_work(runtime), principal, application_id
    )
    policy = await runtime.policies.get(application.year)
    received = await receive_upload(request, policy.evidence.max_file_bytes, directory=_spool_dir())
    try:
        row = await documents.save_upload(
            intake_work(runtime),
            document_store(runtime),
            principal,
            application,
            received,
            policy,
            runtime.clock.now(),
        )
    finally:
        received.discard()
    return DocumentOut.of(row, deletable=True)


@router.get(
    "/applications/{application_id}/documents",
    response_model=DocumentList,
    operation_id="documents_list",
    summary="申请的材料清单 / List an application's documents",
    description=(
        "材料的元数据（不含内容）：本企业、受理的评价机构、省级。\n\n"
        "The documents' metadata (never content): the owner, the routed agency, the province."
    ),
)
async def list_documents(
    application_id: uuid.UUID, principal: Reader, runtime: Runtime
) -> DocumentList:
    application, rows = await documents.readable_application(
        intake_work(runtime), principal, application_id
    )
    editable = documents.may_delete_any(application, principal)
    return DocumentList(
        items=[DocumentOut.of(r, deletable=editable and r.round == application.round) for r in rows]
    )


@router.get(
    "/documents/{document_id}/content",
    operation_id="documents_read",
    summary="读取材料内容 / Read a document's content",
    description=(
        "原样返回上传的字节；评价机构和省级的每次读取都记入审计日志。\n\n"
        "The bytes exactly as uploaded; every read by an agency or the province is audited."
    ),
    response_class=StreamingResponse,
    responses=binary_response(
        "application/octet-stream",
        "上传时的原始字节（Content-Type 为按内容判断的 PDF、OFD、JPEG 或 PNG）",
        "The bytes as uploaded (Content-Type: PDF, OFD, JPEG or PNG as judged by content)",
    ),
)
async def read_document(
    document_id: uuid.UUID, principal: Reader, runtime: Runtime
) -> StreamingResponse:
    content = await documents.read_content(
        intake_work(runtime), document_store(runtime), principal, document_id
    )
    document = content.document
    return StreamingResponse(
        content.chunks,
        media_type=document.media_type,
        headers={
            "Content-Length": str(document.size),
            "Content-Disposition": _attachment(document.filename),
            "ETag": f'"{document.sha256}"',
            "X-Content-SHA256": document.sha256,
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


@router.delete(
    "/applications/{application_id}/documents/{document_id}",
    status_code=204,
    operation_id="documents_delete",
    summary="删除材料 / Delete a document",
    description=(
        "草稿或被退回的申请中尚未随申请提交的材料可删除。\n\n"
        "A document not yet submitted with the application may be deleted while the "
        "application is a draft or returned."
    ),
    responses=error_responses(409),
)
async def delete_document(
    application_id: uuid.UUID, document_id: uuid.UUID, principal: Enterprise, runtime: Runtime
) -> Response:
    await documents.delete_document(intake_work(runtime), principal, application_id, document_id)
    return Response(status_code=204)


def _spool_dir() -> Path:
    return Path(tempfile.gettempdir())


def _attachment(filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
