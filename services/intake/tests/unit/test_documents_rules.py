"""Evidence rules without I/O beyond a temporary file: type by content, readability, the
evidence a form still lacks, and the production settings of the object store."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pydantic import ValidationError

from intake.config import IntakeSettings
from intake.domain.documents import MediaType, missing_evidence, readable, sniff
from localdev.evidence import sample_pdf
from shared.kernel.evaluation.form import InformationForm
from shared.kernel.evaluation.samples import sample_document
from shared.kernel.policy.loader import shipped_policies


def _file(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "upload"
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (sample_pdf("a"), MediaType.PDF),
        (b"\xff\xd8\xff\xe0JFIF", MediaType.JPEG),
        (b"\x89PNG\r\n\x1a\n\x00", MediaType.PNG),
        (b"MZ\x90\x00", None),
        (b"\x7fELF\x02\x01", None),
        (b"PK\x03\x04not a zip", None),
        (b"just text %PDF-1.4", None),
    ],
)
def test_the_type_is_judged_by_content(tmp_path: Path, content: bytes, expected: MediaType) -> None:
    assert sniff(content[:16], _file(tmp_path, content)) is expected


def test_an_ofd_is_a_zip_holding_ofd_xml(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("OFD.xml", "<ofd:OFD/>")
    path = _file(tmp_path, buffer.getvalue())
    assert sniff(buffer.getvalue()[:16], path) is MediaType.OFD
    assert readable(MediaType.OFD, path)


def test_a_pdf_without_its_end_marker_is_unreadable(tmp_path: Path) -> None:
    assert readable(MediaType.PDF, _file(tmp_path, sample_pdf("whole")))
    assert not readable(MediaType.PDF, _file(tmp_path, sample_pdf("cut")[:-30]))


def test_missing_evidence_points_at_each_form_item() -> None:
    policy = shipped_policies()[2026]
    form = InformationForm.model_validate(sample_document())
    number, reference = form.ip[0].number, form.fast_track[0].reference
    assert [d["loc"] for d in missing_evidence(form, policy, set())] == [
        ["body", "finance"],
        ["body", "fast_track", 0],
        ["body", "ip", 0],
    ]
    present = {
        ("financial_statements", None),
        ("fast_track_evidence", reference),
        ("ip_certificate", number),
    }
    assert missing_evidence(form, policy, present) == []
    relaxed = policy.model_copy(
        update={
            "evidence": policy.evidence.model_copy(
                update={
                    "required": policy.evidence.required.model_copy(
                        update={"fast_track_evidence": False}
                    )
                }
            )
        }
    )
    assert [d["loc"] for d in missing_evidence(form, relaxed, set())] == [
        ["body", "finance"],
        ["body", "ip", 0],
    ]


def test_production_intake_refuses_the_local_object_store_key() -> None:
    production = {
        "SME_ENVIRONMENT": "production",
        "JWT_JWKS_URL": "https://idp.example/jwks",
        "JWT_ISSUER": "https://idp.example",
        "JWT_AUDIENCE": "sme-api",
        "DATABASE_URL": "postgresql+asyncpg://intake:secret@db:5432/intake",
    }
    with pytest.raises(ValidationError, match="S3_ACCESS_KEY_ID"):
        IntakeSettings(**production, S3_ACCESS_KEY_ID="sme-local-access", S3_SECRET_ACCESS_KEY="x")
    settings = IntakeSettings(**production, S3_ACCESS_KEY_ID="ak", S3_SECRET_ACCESS_KEY="sk")
    assert settings.s3_bucket == "sme-documents"
