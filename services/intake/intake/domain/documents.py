"""Evidence documents (证明材料): what is accepted, and what a submission still lacks.

Pure rules, no I/O beyond reading the spooled upload. Types are judged by content (magic
bytes and structure), never by the file name or the declared type (contract.md Round 2).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from enum import StrEnum
from pathlib import Path

from shared.kernel.errors import FieldError, field_error
from shared.kernel.evaluation.form import InformationForm
from shared.kernel.policy.model import Policy
from shared.kernel.policy.scoring_rules import IPClass


class DocumentKind(StrEnum):
    FINANCIAL_STATEMENTS = "financial_statements"  # 上一会计年度财务会计报告
    RD_EXPENSE_LEDGER = "rd_expense_ledger"  # 研发费用辅助账
    IP_CERTIFICATE = "ip_certificate"  # refers_to = ip[].number
    FAST_TRACK_EVIDENCE = "fast_track_evidence"  # refers_to = fast_track[].reference
    OTHER = "other"


class MediaType(StrEnum):
    PDF = "application/pdf"
    OFD = "application/ofd"  # GB/T 33190 版式文档: a zip holding OFD.xml
    JPEG = "image/jpeg"
    PNG = "image/png"


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HEAD_BYTES = 16  # enough to tell the accepted types apart


def sniff(head: bytes, path: Path) -> MediaType | None:
    """The accepted type the content is, or None. `head` is the file's first bytes."""
    if head.startswith(b"%PDF-"):
        return MediaType.PDF
    if head.startswith(PNG_SIGNATURE):
        return MediaType.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return MediaType.JPEG
    if head.startswith(b"PK\x03\x04") and _is_ofd(path):
        return MediaType.OFD
    return None


def _is_ofd(path: Path) -> bool:
    """GB/T 33190: the package's entry file is OFD.xml at the root of the zip."""
    try:
        with zipfile.ZipFile(path) as package:
            return any(name.lower() == "ofd.xml" for name in package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def readable(media_type: MediaType, path: Path) -> bool:
    """Whether the content parses as its type, judged once at upload: a truncated PDF (no
    %%EOF), a PNG with a broken chunk, a JPEG without its end marker, an OFD whose zip
    entries fail their CRC. Unreadable evidence is accepted but warned about in review."""
    try:
        if media_type is MediaType.PDF:
            return _tail(path, 1024).rstrip(b"\r\n\t \x00").endswith(b"%%EOF")
        if media_type is MediaType.JPEG:
            return _tail(path, 64).rstrip(b"\r\n\x00").endswith(b"\xff\xd9")
        if media_type is MediaType.PNG:
            return _png_chunks_ok(path)
        with zipfile.ZipFile(path) as package:
            return package.testzip() is None
    except (OSError, ValueError, zipfile.BadZipFile, struct.error):
        return False


def _tail(path: Path, size: int) -> bytes:
    with path.open("rb") as file:
        file.seek(0, 2)
        length = file.tell()
        file.seek(max(0, length - size))
        return file.read()


def _png_chunks_ok(path: Path) -> bool:
    """Every chunk's length fits and its CRC matches, ending with IEND."""
    with path.open("rb") as file:
        if file.read(8) != PNG_SIGNATURE:
            return False
        while True:
            header = file.read(8)
            if len(header) < 8:
                return False
            length, kind = struct.unpack(">I4s", header)
            crc = zlib.crc32(kind)
            remaining = length
            while remaining:
                block = file.read(min(remaining, 1 << 16))
                if not block:
                    return False
                crc = zlib.crc32(block, crc)
                remaining -= len(block)
            stored = file.read(4)
            if len(stored) < 4 or struct.unpack(">I", stored)[0] != crc:
                return False
            if kind == b"IEND":
                return True


def refers_to_problem(
    kind: DocumentKind, refers_to: str | None, form: InformationForm
) -> FieldError | None:
    """`refers_to` must name an item of the form for item-bound kinds (422 with the field)."""
    if kind is DocumentKind.IP_CERTIFICATE:
        numbers = {item.number for item in form.ip}
        if refers_to not in numbers:
            return field_error(
                ["body", "refers_to"],
                "知识产权证书须指明信息表中的知识产权编号（ip[].number）",
                "an IP certificate must name the number of an IP item of the form (ip[].number)",
                "refers_to_unknown",
            )
    elif kind is DocumentKind.FAST_TRACK_EVIDENCE:
        references = {claim.reference for claim in form.fast_track}
        if refers_to not in references:
            return field_error(
                ["body", "refers_to"],
                "直通车证明须指明信息表中的直通车条件编号（fast_track[].reference）",
                "fast-track evidence must name the reference of a fast-track claim of the form "
                "(fast_track[].reference)",
                "refers_to_unknown",
            )
    return None


def missing_evidence(
    form: InformationForm, policy: Policy, present: set[tuple[str, str | None]]
) -> list[FieldError]:
    """One `details` entry per required document not yet uploaded, `loc` at the form item.
    `present` holds (kind, refers_to) of the application's documents."""
    required = policy.evidence.required
    kinds = {kind for kind, _ in present}
    missing: list[FieldError] = []
    if required.financial_statements and DocumentKind.FINANCIAL_STATEMENTS not in kinds:
        missing.append(
            field_error(
                ["body", "finance"],
                "缺少上一会计年度财务会计报告（financial_statements）",
                "the financial statements of the previous accounting year are missing",
                "evidence_missing",
            )
        )
    if required.fast_track_evidence:
        for index, claim in enumerate(form.fast_track):
            if (DocumentKind.FAST_TRACK_EVIDENCE, claim.reference) not in present:
                missing.append(
                    field_error(
                        ["body", "fast_track", index],
                        f"缺少直通车条件“{claim.reference}”的证明材料",
                        f"the evidence of fast-track claim {claim.reference} is missing",
                        "evidence_missing",
                    )
                )
    if required.class1_ip_certificate:
        classes = policy.scoring.ip_classes
        for index, item in enumerate(form.ip):
            if classes.get(item.kind) is not IPClass.CLASS1:
                continue
            if (DocumentKind.IP_CERTIFICATE, item.number) not in present:
                missing.append(
                    field_error(
                        ["body", "ip", index],
                        f"缺少Ⅰ类知识产权“{item.number}”的证书",
                        f"the certificate of Class I IP item {item.number} is missing",
                        "evidence_missing",
                    )
                )
    return missing
