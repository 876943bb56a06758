"""The object store stopped in the middle of an upload: 503 with the error envelope and
Retry-After, no row, and uploads work again once the store is back (its own S3Proxy, so
the shared one keeps serving every other test)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx
import pytest

from intake.bootstrap import create_app
from intake.config import IntakeSettings
from localdev.evidence import sample_pdf
from localdev.paths import LOCAL_DIR
from localdev.ports import free_port
from localdev.s3proxy import LocalS3
from localdev.stack import Infra
from localdev.testing import Tokens, running_app, test_settings
from shared.kernel.calendar.clock import FixedClock

from ..conftest import NOW, uscc_no


@pytest.fixture(scope="module")
def own_s3() -> Iterator[LocalS3]:
    server = LocalS3(LOCAL_DIR / "test" / f"s3-{uuid.uuid4().hex[:8]}", free_port())
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
async def outage_client(
    infra: Infra,
    keys: tuple[Path, Path],
    fresh_database: Callable[[str], str],
    own_s3: LocalS3,
) -> AsyncIterator[httpx.AsyncClient]:
    settings = IntakeSettings(
        **test_settings("intake", fresh_database("intake"), infra, keys, **own_s3.env())
    )
    app = create_app(settings, run_background=False, clock=FixedClock(NOW))
    async with running_app(app) as client:
        yield client


async def test_store_stopped_during_an_upload_is_503_and_leaves_no_row(
    outage_client: httpx.AsyncClient, tokens: Tokens, own_s3: LocalS3
) -> None:
    from shared.kernel.evaluation.samples import sample_document

    me = tokens.enterprise(uscc_no(90))
    form = sample_document({"enterprise.uscc": uscc_no(90)})
    created = await outage_client.post("/api/v1/applications", json=form, headers=me)
    assert created.status_code == 201, created.text
    documents = f"/api/v1/applications/{created.json()['id']}/documents"
    boundary = "outage-boundary"
    content = sample_pdf("statement during an outage")

    async def body() -> AsyncIterator[bytes]:
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n'
            f"financial_statements\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f'name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        yield content[:100]
        own_s3.kill()  # the store goes away while the file is still arriving
        yield content[100:]
        yield f"\r\n--{boundary}--\r\n".encode()

    response = await outage_client.post(
        documents,
        headers={**me, "Content-Type": f"multipart/form-data; boundary={boundary}"},
        content=body(),
    )
    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "unavailable"
    assert int(response.headers["Retry-After"]) > 0
    listed = await outage_client.get(documents, headers=me)
    assert listed.json()["items"] == []

    own_s3.start()  # back: the service recovers by itself
    again = await outage_client.post(
        documents,
        headers=me,
        files={"file": ("a.pdf", content, "application/pdf")},
        data={"kind": "financial_statements"},
    )
    assert again.status_code == 201, again.text
    read = await outage_client.get(f"/api/v1/documents/{again.json()['id']}/content", headers=me)
    assert read.content == content
