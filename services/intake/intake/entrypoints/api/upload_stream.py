"""A multipart/form-data upload streamed to a temporary file, never held in memory.

Starlette's `request.form()` would spool the whole body before the handler sees it; here
the body is parsed as it arrives (python-multipart's streaming parser): the file part goes
to disk in blocks while its SHA-256 and size are computed, text fields are capped, and a
file above the limit stops being written at once (the rest of the body is read and
dropped, so that the client reliably gets its 413 instead of a reset connection).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import IO

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from intake.domain.documents import HEAD_BYTES
from intake.service_layer.documents import ReceivedUpload
from shared.kernel.errors import InvalidInput, PayloadTooLarge, field_error

MAX_TEXT_FIELD = 1024
MAX_FILENAME = 255
# What multipart framing adds to the file itself (boundaries, headers, the text fields).
FRAMING_ALLOWANCE = 64 * 1024


class MalformedUpload(InvalidInput):
    code = "malformed_upload"
    message = "上传请求格式有误，应为 multipart/form-data，含 file、kind 和可选的 refers_to"
    message_en = "Send multipart/form-data with the fields file, kind and optionally refers_to"


class FileTooLarge(PayloadTooLarge):
    code = "file_too_large"

    def __init__(self, limit: int) -> None:
        mb = limit / (1024 * 1024)
        super().__init__(
            message=f"单个文件不能超过{mb:g}MB",
            message_en=f"A file may not exceed {mb:g} MB",
            details=[field_error(["body", "file"], "文件过大", "file too large", "too_large")],
        )


class _Sink:
    """python-multipart's callbacks: one part at a time."""

    def __init__(self, max_file_bytes: int, directory: Path | None) -> None:
        self.max_file_bytes = max_file_bytes
        self.directory = directory
        self.upload = ReceivedUpload()
        self.too_large = False
        self.problem: str | None = None
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._headers: dict[str, bytes] = {}
        self._name = ""
        self._text: bytearray | None = None
        self._file: IO[bytes] | None = None
        self._hash = hashlib.sha256()
        self._head = bytearray()
        self.finished = False

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": self._header_field_data,
            "on_header_value": self._header_value_data,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
            "on_end": self._end,
        }

    def _part_begin(self) -> None:
        self._headers = {}
        self._name = ""
        self._text = None

    def _header_field_data(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _header_value_data(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_field.decode("latin-1").lower()] = bytes(self._header_value)
        self._header_field.clear()
        self._header_value.clear()

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get("content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in options or self._name == "file":
            if self._name != "file" or self.upload.path is not None:
                self.problem = "one file part, named file"
                return
            raw = options.get(b"filename", b"").decode("utf-8", "replace")
            self.upload.filename = _clean_filename(raw)
            self.upload.declared_type = (
                self._headers.get("content-type", b"").decode("latin-1").strip().lower()
            )
            fd, name = tempfile.mkstemp(prefix="sme-upload-", dir=self.directory)
            self.upload.path = Path(name)
            self._file = os.fdopen(fd, "wb")
        else:
            self._text = bytearray()

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self._file is not None:
            self.upload.size += len(chunk)
            if self.upload.size > self.max_file_bytes:
                self.too_large = True  # stop writing; the rest is read and dropped
                return
            self._hash.update(chunk)
            if len(self._head) < HEAD_BYTES:
                self._head += chunk[: HEAD_BYTES - len(self._head)]
            self._file.write(chunk)
        elif self._text is not None:
            self._text += chunk
            if len(self._text) > MAX_TEXT_FIELD:
                self.problem = f"field {self._name} longer than {MAX_TEXT_FIELD} bytes"
                self._text = bytearray()

    def _part_end(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
            self.upload.sha256 = self._hash.hexdigest()
            self.upload.head = bytes(self._head)
        elif self._text is not None and self._name:
            self.upload.fields[self._name] = self._text.decode("utf-8", "replace")
            self._text = None

    def _end(self) -> None:
        self.finished = True

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def _clean_filename(raw: str) -> str:
    """The name as the user's browser sent it, without path or control characters."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    return name[:MAX_FILENAME] or "document"


async def receive_upload(
    request: Request, max_file_bytes: int, directory: Path | None = None
) -> ReceivedUpload:
    """Parse the request body as it streams in. Raises `FileTooLarge` (413) above
    `max_file_bytes` — up front when Content-Length already says so — and `MalformedUpload`
    (422) for anything that is not a well-formed upload. The caller must `discard()`."""
    content_type, options = parse_options_header(request.headers.get("content-type"))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise MalformedUpload()
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_file_bytes + FRAMING_ALLOWANCE:
        raise FileTooLarge(max_file_bytes)
    sink = _Sink(max_file_bytes, directory)
    parser = MultipartParser(boundary, sink.callbacks())  # type: ignore[arg-type]
    try:
        async for chunk in request.stream():
            if chunk:
                parser.write(chunk)
        parser.finalize()
    except MultipartParseError as exc:
        sink.close()
        sink.upload.discard()
        raise MalformedUpload() from exc
    except BaseException:
        sink.close()
        sink.upload.discard()
        raise
    sink.close()
    if sink.too_large:
        sink.upload.discard()
        raise FileTooLarge(max_file_bytes)
    if sink.problem is not None or not sink.finished:
        sink.upload.discard()
        raise MalformedUpload()
    return sink.upload
