"""Evidence documents for tests and samples: what a form needs before it can be submitted,
and small, valid, distinct files to upload for it.

Every flow that submits goes through `required_uploads` + `sample_pdf` (tests/e2e/helpers.py,
services/intake/tests/conftest.py), so a change of the evidence rules is fixed in one place.
Each file's bytes are unique to its enterprise and item: identical bytes from two
enterprises would raise the `document_reused` warning and block their approval.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# One (kind, refers_to) per document the default policy requires, plus the certificate of
# every IP item (only Class I ones are required; the others do no harm).
Upload = tuple[str, str | None]


def required_uploads(form: Mapping[str, Any]) -> list[Upload]:
    uploads: list[Upload] = [("financial_statements", None)]
    uploads += [("fast_track_evidence", claim["reference"]) for claim in form.get("fast_track", [])]
    uploads += [("ip_certificate", item["number"]) for item in form.get("ip", [])]
    return uploads


def sample_pdf(tag: str) -> bytes:
    """A minimal well-formed one-page PDF whose content names `tag` (so it is unique)."""
    text = tag.replace("\\", "/").replace("(", "[").replace(")", "]")
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def upload_fields(uscc: str, kind: str, refers_to: str | None) -> dict[str, Any]:
    """httpx keyword arguments (`files`, `data`) of one upload."""
    data = {"kind": kind, **({"refers_to": refers_to} if refers_to else {})}
    name = f"{kind}-{refers_to or 'main'}.pdf"
    content = sample_pdf(f"{uscc} {kind} {refers_to or ''}")
    return {"files": {"file": (name, content, "application/pdf")}, "data": data}
