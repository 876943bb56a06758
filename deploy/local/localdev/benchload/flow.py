"""The enterprises' real path over HTTP, one phase at a time so that each call kind has its
own rate: profile → draft → evidence upload → submit (the timed one), then the agency's
approval, a publicity batch and its announcement (the province's).

Each phase runs `concurrency` workers over a shared queue; every call's latency is kept.
Forms are the shipped sample with the enterprise's own USCC, IP number and contact, so the
cross-enterprise warnings (shared contact, reused document) stay quiet as they would for
unrelated enterprises.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx

from localdev.benchload.stats import Summary, rate
from localdev.evidence import required_uploads, upload_fields
from shared.kernel.codes.uscc import ALPHABET, with_check_digit
from shared.kernel.evaluation.samples import sample_document
from shared.platform.auth.tokens import issue_dev_token

REGION = "150105"
AGENCY = "150100"  # 呼和浩特市科技局, the agency of REGION
T = TypeVar("T")


@dataclass(frozen=True)
class PhaseResult:
    name: str
    calls: int
    seconds: float
    latency: Summary | None
    started_at: float  # wall clock (time.time()), to find the phase's rows in the databases
    ended_at: float

    @property
    def per_second(self) -> float:
        return rate(self.calls, self.seconds)


@dataclass
class Enterprise:
    uscc: str
    form: dict[str, Any]
    application_id: str = ""
    case_id: str = ""
    uploads: list[tuple[str, str | None]] = field(default_factory=list)


class Tokens:
    def __init__(self, private_key: Path) -> None:
        self._key = private_key.read_bytes()
        self._cache: dict[tuple[str, str], dict[str, str]] = {}

    def headers(
        self, role: str, *, uscc: str | None = None, org: str | None = None
    ) -> dict[str, str]:
        key = (role, uscc or org or "")
        if key not in self._cache:
            token = issue_dev_token(self._key, role=role, uscc=uscc, org=org)
            self._cache[key] = {"Authorization": f"Bearer {token}"}
        return self._cache[key]


def bench_uscc(serial: int, run: str) -> str:
    """A valid USCC unique to this run and serial."""
    first17 = f"91{REGION}" + "".join(ALPHABET[int(c, 16) % 31] for c in run[:4])
    first17 += "".join(ALPHABET[(serial // 31**i) % 31] for i in range(5))
    return with_check_digit(first17)


def new_enterprise(serial: int, run: str) -> Enterprise:
    """A valid USCC unique to this run, and its own form."""
    uscc = bench_uscc(serial, run)
    digits = int(hashlib.sha256(uscc.encode()).hexdigest(), 16)
    form = sample_document(
        {
            "enterprise.uscc": uscc,
            "enterprise.region_code": REGION,
            "enterprise.name": f"内蒙古压测企业{uscc[-6:]}有限公司",
            "enterprise.contact.phone": f"136{digits % 10**8:08d}",
            "enterprise.contact.email": f"{uscc.lower()}@example.cn",
            "fast_track": [],
            "ip.0.number": f"ZL2021{uscc[-8:]}.1",
        }
    )
    return Enterprise(uscc, form)


def new_run_id() -> str:
    return uuid.uuid4().hex


async def run_phase(
    name: str,
    items: Sequence[T],
    call: Callable[[T], Awaitable[int]],
    concurrency: int,
) -> PhaseResult:
    """Run `call` on every item with `concurrency` workers; `call` returns how many HTTP
    calls it made (an upload phase makes several per enterprise) and raises on failure."""
    queue: asyncio.Queue[T] = asyncio.Queue()
    for item in items:
        queue.put_nowait(item)
    latencies: list[float] = []
    calls = 0

    async def worker() -> None:
        nonlocal calls
        while not queue.empty():
            item = queue.get_nowait()
            started = time.monotonic()
            made = await call(item)
            latencies.append((time.monotonic() - started) / max(made, 1))
            calls += made

    wall_start, started = time.time(), time.monotonic()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.monotonic() - started
    return PhaseResult(name, calls, elapsed, Summary.of(latencies), wall_start, time.time())


async def wait_for(
    probe: Callable[[], Awaitable[bool]], since: float, limit: float, what: str
) -> float:
    """Seconds from `since` (time.monotonic()) until `probe` holds; fails after `limit` s."""
    while not await probe():
        if time.monotonic() - since > limit:
            raise RuntimeError(f"gave up after {limit:.0f}s waiting for {what}")
        await asyncio.sleep(0.25)
    return time.monotonic() - since


def _expect(response: httpx.Response, *codes: int) -> dict[str, Any]:
    if response.status_code not in codes:
        raise RuntimeError(
            f"{response.request.method} {response.request.url.path}: "
            f"{response.status_code} {response.text[:500]}"
        )
    body: dict[str, Any] = response.json()
    return body


class EnterpriseFlow:
    """The HTTP calls of one run, against the services' own addresses."""

    def __init__(
        self, intake: httpx.AsyncClient, review: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        self.intake = intake
        self.review = review
        self.tokens = tokens

    def _as(self, enterprise: Enterprise) -> dict[str, str]:
        return self.tokens.headers("enterprise", uscc=enterprise.uscc)

    async def profile(self, enterprise: Enterprise) -> int:
        response = await self.intake.post(
            "/api/v1/enterprises", json=enterprise.form["enterprise"], headers=self._as(enterprise)
        )
        _expect(response, 200, 201)
        return 1

    async def draft(self, enterprise: Enterprise) -> int:
        response = await self.intake.post(
            "/api/v1/applications", json=enterprise.form, headers=self._as(enterprise)
        )
        created = _expect(response, 201)
        enterprise.application_id = created["id"]
        enterprise.uploads = required_uploads(created["form"])
        return 1

    async def upload(self, enterprise: Enterprise) -> int:
        for kind, refers_to in enterprise.uploads:
            response = await self.intake.post(
                f"/api/v1/applications/{enterprise.application_id}/documents",
                headers=self._as(enterprise),
                **upload_fields(enterprise.uscc, kind, refers_to),
            )
            _expect(response, 201)
        return len(enterprise.uploads)

    async def submit(self, enterprise: Enterprise) -> int:
        response = await self.intake.post(
            f"/api/v1/applications/{enterprise.application_id}/submit",
            headers=self._as(enterprise),
        )
        _expect(response, 200)
        return 1

    async def approve(self, enterprise: Enterprise) -> int:
        response = await self.review.post(
            f"/api/v1/review-cases/{enterprise.case_id}/decision",
            # A note answers any `warn` warning the sample form may raise.
            json={"decision": "approve", "notes": "压测：已核对 / load test: checked"},
            headers=self.tokens.headers("agency", org=AGENCY),
        )
        _expect(response, 200)
        return 1

    async def publicity_batch(self, case_ids: list[str], starts_on: str, year: int) -> str:
        response = await self.review.post(
            "/api/v1/publicity-batches",
            json={"year": year, "case_ids": case_ids, "starts_on": starts_on},
            headers=self.tokens.headers("province"),
        )
        batch_id: str = _expect(response, 201)["id"]
        return batch_id

    async def announce(self, batch_id: str) -> dict[str, Any]:
        response = await self.review.post(
            f"/api/v1/publicity-batches/{batch_id}/announce",
            headers=self.tokens.headers("province"),
        )
        return _expect(response, 200)
