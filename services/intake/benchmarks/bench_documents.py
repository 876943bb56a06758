"""Benchmark of evidence uploads (not a test): MB/s through intake next to a raw S3 client.

    make bench        (or, with a running infra:)
    SME_TEST_INFRA=.local/dev/infra.json \
        .venv/bin/python services/intake/benchmarks/bench_documents.py [files] [MB] [workers]

Issue 13: "upload throughput (MB/s) for 50 files of 5 MB next to a raw S3 client's rate
against the same server". Intake runs as a real process (uvicorn) on the infra's
PostgreSQL and S3 server (S3Proxy); the client posts multipart uploads over loopback with
`workers` in parallel (10 files per application: the policy allows 100 MB each). The raw
rate puts the same files with obstore straight to the same bucket, same parallelism.
Intake's path adds: multipart parsing, SHA-256, spooling to disk, content checks, the
object PUT, and the row + audit transaction.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import obstore

from intake.adapters.object_store import DocumentStore
from localdev.evidence import sample_pdf
from localdev.paths import LOCAL_DIR
from localdev.ports import free_port
from localdev.stack import Infra, Stack, dev_keys
from localdev.testing import Tokens
from shared.kernel.codes.uscc import with_check_digit
from shared.kernel.evaluation.samples import sample_document
from shared.platform.settings import ServiceSettings

PER_APPLICATION = 10


def _infra() -> Infra:
    described = os.environ.get("SME_TEST_INFRA")
    if not described:
        sys.exit("set SME_TEST_INFRA (make bench does) to a running infra descriptor")
    data = json.loads(Path(described).read_text())
    return Infra(
        Path(data["state_dir"]),
        data["pg_port"],
        data["kafka_port"],
        data["kafka_controller_port"],
        s3_port=data.get("s3_port", 0),
    )


def _files(n: int, mb: int) -> list[bytes]:
    """Distinct PDFs of `mb` MB (distinct bytes: nothing is deduplicated)."""
    return [sample_pdf(f"bench {i}") + b"%" + os.urandom(mb * 1024 * 1024) for i in range(n)]


async def _through_intake(base: str, tokens: Tokens, files: list[bytes], workers: int) -> float:
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        targets = []
        for _ in range(0, len(files), PER_APPLICATION):
            uscc = with_check_digit(f"91150105MA0B{uuid.uuid4().int % 10**5:05d}")
            headers = tokens.enterprise(uscc)
            form = sample_document({"enterprise.uscc": uscc})
            created = await client.post("/api/v1/applications", json=form, headers=headers)
            assert created.status_code == 201, created.text
            targets += [(created.json()["id"], headers)] * PER_APPLICATION
        queue: asyncio.Queue[int] = asyncio.Queue()
        for i in range(len(files)):
            queue.put_nowait(i)

        async def worker() -> None:
            while not queue.empty():
                i = queue.get_nowait()
                application_id, headers = targets[i]
                response = await client.post(
                    f"/api/v1/applications/{application_id}/documents",
                    headers=headers,
                    files={"file": (f"f{i}.pdf", files[i], "application/pdf")},
                    data={"kind": "other"},
                )
                assert response.status_code == 201, response.text

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(workers)))
        return time.perf_counter() - start


async def _raw(settings: ServiceSettings, files: list[bytes], workers: int) -> float:
    store = DocumentStore(settings)._store  # the same client configuration as intake's
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(len(files)):
        queue.put_nowait(i)
    prefix = f"bench-raw/{uuid.uuid4().hex}"

    async def worker() -> None:
        while not queue.empty():
            i = queue.get_nowait()
            await obstore.put_async(store, f"{prefix}/{i}", files[i])

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(workers)))
    elapsed = time.perf_counter() - start
    for i in range(len(files)):
        await obstore.delete_async(store, f"{prefix}/{i}")
    return elapsed


def main(n: int, mb: int, workers: int) -> None:
    infra = _infra()
    settings = ServiceSettings(**infra.s3_env())
    private_key, _ = dev_keys()
    tokens = Tokens(private_key)
    stack = Stack(
        infra=infra,
        log_dir=LOCAL_DIR / "tmp" / "bench-logs",
        ports={"intake": free_port()},
        db_suffix=f"_bench{uuid.uuid4().hex[:8]}",
        environment="test",
        extra_env={"intake": {"LOG_LEVEL": "WARNING", "TMPDIR": tempfile.gettempdir()}},
    )
    service = stack.process("intake")
    service.start()
    try:
        service.wait_ready()
        files = _files(n, mb)
        total_mb = sum(len(f) for f in files) / (1024 * 1024)
        asyncio.run(_raw(settings, files[:4], workers))  # warm both paths up
        raw = asyncio.run(_raw(settings, files, workers))
        intake = asyncio.run(_through_intake(service.url, tokens, files, workers))
        print(f"{n} files of {mb} MB ({total_mb:.0f} MB), {workers} in parallel, loopback:")
        print(f"  raw S3 client (obstore put) : {total_mb / raw:7.1f} MB/s  ({raw:.1f} s)")
        print(f"  through intake (POST upload): {total_mb / intake:7.1f} MB/s  ({intake:.1f} s)")
        print(f"  intake / raw                : {raw / intake:7.0%}")
    finally:
        service.stop()
        if infra.pg is not None:
            infra.pg.drop_database(f"sme_intake{stack.db_suffix}")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(*(args + [50, 5, 4][len(args) :]))
