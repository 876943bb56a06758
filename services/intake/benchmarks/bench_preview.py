"""Micro-benchmark of POST /api/v1/evaluations/preview (not a test): server time per request.

    make bench        (or, with a running infra:)
    SME_TEST_INFRA=.local/dev/infra.json \
        .venv/bin/python services/intake/benchmarks/bench_preview.py [requests]

Issue 3: "Preview of a form answers in well under 10 ms server time". The intake app runs
in-process (start-up needs PostgreSQL: migrations and stored policy versions, read once)
and each request is one ASGI call through the whole middleware stack, routing, body
validation, scoring and JSON serialisation, with the access log formatted at INFO level
(written to a null stream). Measured per request: median, p90, p99 and max, of the wall
clock and of the process's CPU time (the latter is not inflated by other processes
competing for the CPU).

"server time" = the ASGI call alone; "round trip" adds an in-process httpx client, for
comparison with what a caller would see without the network.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import orjson

from intake.bootstrap import create_app
from intake.config import IntakeSettings
from localdev.stack import Infra, dev_keys
from localdev.testing import running_app, test_settings
from shared.kernel.evaluation.samples import sample_document

PATH = "/api/v1/evaluations/preview"


def _utility_models(n: int) -> list[dict[str, Any]]:
    return [
        {
            "kind": "utility_model",
            "number": f"ZL2023{i:08d}",
            "granted_on": "2023-01-01",
            "valid_until": "2033-01-01",
            "related_to_main_product": True,
            "disputed": False,
        }
        for i in range(n)
    ]


def _asgi_caller(app: Any, body: bytes) -> Callable[[], Awaitable[int]]:
    """One bare ASGI request: what the server spends, without any client library."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": PATH,
        "raw_path": PATH.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"bench"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("bench", 80),
    }

    async def call() -> int:
        sent = False
        status = 0

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await app(dict(scope), receive, send)
        return status

    return call


async def _measure(call: Callable[[], Awaitable[Any]], n: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per request. On a shared, loaded machine the wall
    clock also counts time the process waited for a CPU; the CPU time does not."""
    for _ in range(200):  # warm up: compiled policy tables, pydantic validators, caches
        await call()
    wall, cpu = [], []
    for _ in range(n):
        start, start_cpu = time.perf_counter(), time.process_time()
        await call()
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    return wall, cpu


def _report(label: str, times: tuple[list[float], list[float]]) -> None:
    for kind, series in zip(("wall", "cpu"), times, strict=True):
        ordered = sorted(series)

        def p(q: float, ordered: list[float] = ordered) -> float:
            return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

        print(
            f"{label + ' (' + kind + ')':<58} median {statistics.median(ordered):6.3f} ms   "
            f"p90 {p(0.90):6.3f} ms   p99 {p(0.99):6.3f} ms   max {ordered[-1]:7.3f} ms   "
            f"(n={len(ordered)})"
        )


def _infra() -> Infra:
    described = os.environ.get("SME_TEST_INFRA")
    if not described:
        sys.exit("set SME_TEST_INFRA (make bench does) to a running PostgreSQL/Kafka descriptor")
    data = json.loads(Path(described).read_text())
    return Infra(
        Path(data["state_dir"]), data["pg_port"], data["kafka_port"], data["kafka_controller_port"]
    )


async def main(n: int) -> None:
    infra = _infra()
    url = infra.database_url("intake", f"_bench{uuid.uuid4().hex[:8]}")
    settings = IntakeSettings(**test_settings("intake", url, infra, dev_keys(), LOG_LEVEL="INFO"))
    app = create_app(settings, run_background=False)
    for handler in logging.getLogger().handlers:  # the access log is formatted, not printed
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(open(os.devnull, "w"))  # noqa: SIM115 - lives as long as the run
    forms = {
        "contract example": sample_document(),
        "50 IP items, no fast-track": sample_document(
            {"ip": _utility_models(50), "fast_track": []}
        ),
    }
    async with running_app(app) as client:
        for label, form in forms.items():
            body = orjson.dumps(form)
            call = _asgi_caller(app, body)
            assert await call() == 200, "preview failed"
            _report(f"server time, {label}", await _measure(call, n))

            async def round_trip(content: bytes = body, http: httpx.AsyncClient = client) -> None:
                response = await http.post(
                    PATH, content=content, headers={"content-type": "application/json"}
                )
                response.raise_for_status()

            _report(f"in-process round trip, {label}", await _measure(round_trip, n))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000))
