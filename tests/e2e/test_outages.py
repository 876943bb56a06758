"""Outages under load (issue 10): the broker killed, PostgreSQL stopped like a crash, a
consumer frozen — each while four enterprises keep submitting through the gateway.

Each ends with: every acknowledged submission stored exactly once, intake and review
agreeing on every application, no 500 answered (an outage is a retryable 503), and — for
the broker — every service kept ready throughout. The module runs on a PostgreSQL and a
Kafka of its own (durable PostgreSQL, as `make run` starts it), so stopping them touches
no other test.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

import httpx
import pytest

from localdev.evidence import required_uploads, upload_fields
from localdev.paths import LOCAL_DIR, SERVICES
from localdev.ports import free_port
from localdev.stack import Infra, Stack
from localdev.testing import Tokens, new_stack

from .helpers import cases_of, eventually, form_for, new_uscc

# The first test also starts the stack; each runs ~20 s of load and then waits for review.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(420)]

REGION, AGENCY = "150105", "150100"
CLIENTS = 4
PAUSE = 0.5  # between one enterprise's submission and the next: ~4 submissions a second


@pytest.fixture(scope="module")
def outage_infra() -> Iterator[Infra]:
    state = LOCAL_DIR / "test" / f"outage-{uuid.uuid4().hex[:8]}"
    infra = Infra(state, free_port(), free_port(), free_port(), external_kafka="")
    infra.up()  # durable PostgreSQL (fsync on): the settings `make run` ships
    try:
        yield infra
    finally:
        if infra.s3 is not None:
            infra.s3.kill()
        if infra.kafka is not None:
            infra.kafka.kill()
        if infra.pg is not None:
            infra.pg.stop("immediate")
        shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope="module")
def stack(outage_infra: Infra) -> Iterator[Stack]:
    running = new_stack(outage_infra, "outages")
    try:
        running.start()
        yield running
    finally:
        running.stop()


@dataclass
class Load:
    """Enterprises creating and submitting applications, retrying a 503 like the portal."""

    gateway: str
    tokens: Tokens
    acknowledged: list[tuple[str, str]] = field(default_factory=list)  # (application, uscc)
    statuses: Counter[int] = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _call(self, send: Callable[[], httpx.Response]) -> tuple[httpx.Response, bool]:
        """The answer, and whether a 503 came first (then the first try may have landed)."""
        retried = False
        while True:
            try:
                response = send()
            except httpx.HTTPError as exc:  # the gateway answers even when a service is down
                with self._lock:
                    self.unexpected.append(f"transport: {exc!r}")
                raise
            with self._lock:
                self.statuses[response.status_code] += 1
            if response.status_code != 503 or self._stop.is_set():
                return response, retried
            assert response.headers.get("retry-after"), response.text
            retried = True
            time.sleep(0.3)  # Retry-After says 5 s; a test need not wait that long

    def _enterprise(self) -> None:
        with httpx.Client(base_url=self.gateway, timeout=40) as client:
            while not self._stop.is_set():
                self._one_submission(client, new_uscc(REGION))
                self._stop.wait(PAUSE)

    def _one_submission(self, client: httpx.Client, uscc: str) -> None:
        headers = self.tokens.enterprise(uscc)
        form = form_for(uscc, REGION)
        created, _ = self._call(
            lambda: client.post("/api/v1/applications", json=form, headers=headers)
        )
        if created.status_code != 201:
            self._note(created)
            return
        app_id = created.json()["id"]
        # issue 13: the required evidence is uploaded before the submission, retried like it
        for kind, refers_to in required_uploads(created.json()["form"]):
            fields = upload_fields(uscc, kind, refers_to)
            uploaded, _ = self._call(
                lambda fields=fields: client.post(
                    f"/api/v1/applications/{app_id}/documents", headers=headers, **fields
                )
            )
            if uploaded.status_code not in (200, 201):
                self._note(uploaded)
                return
        submitted, retried = self._call(
            lambda: client.post(f"/api/v1/applications/{app_id}/submit", headers=headers)
        )
        if submitted.status_code == 409 and retried:
            # The try before the 503 committed (the connection died with the answer): the
            # application is submitted, and must reach review once like any other.
            shown = client.get(f"/api/v1/applications/{app_id}", headers=headers)
            if shown.status_code == 200 and shown.json()["status"] != "draft":
                submitted = shown
        if submitted.status_code == 200:
            with self._lock:
                self.acknowledged.append((app_id, uscc))
        else:
            self._note(submitted)

    def _note(self, response: httpx.Response) -> None:
        if response.status_code != 503:  # a 503 at the very end, when we stopped retrying
            with self._lock:
                self.unexpected.append(f"{response.status_code}: {response.text[:200]}")

    @contextlib.contextmanager
    def running(self) -> Iterator[Load]:
        threads = [threading.Thread(target=self._enterprise) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            for thread in threads:
                thread.join(60)


def readiness(stack: Stack) -> dict[str, int]:
    codes = {}
    for name in SERVICES:
        try:
            codes[name] = httpx.get(stack.processes[name].url + "/readyz", timeout=5).status_code
        except httpx.HTTPError:
            codes[name] = 0
    return codes


def assert_stored_once_and_agreed(stack: Stack, tokens: Tokens, load: Load) -> None:
    assert load.acknowledged, "no submission was acknowledged at all"
    assert not load.unexpected, load.unexpected[:5]
    assert not [s for s in load.statuses if s >= 500 and s != 503], load.statuses
    client = httpx.Client(base_url=stack.gateway_url, timeout=30)
    wanted = {app_id for app_id, _ in load.acknowledged}

    def every_case() -> Counter[str] | None:
        counted = Counter(c["application_id"] for c in cases_of(client, tokens, AGENCY))
        return counted if wanted <= set(counted) else None

    try:
        cases = eventually(every_case, timeout=180, every=2, what="a review case per submission")
    except AssertionError as missing:
        found = Counter(c["application_id"] for c in cases_of(client, tokens, AGENCY))
        lost = sorted(wanted - set(found))
        health = httpx.get(stack.processes["review"].url + "/healthz", timeout=5).text
        raise AssertionError(
            f"{len(lost)} of {len(wanted)} submissions have no review case; "
            f"review health: {health}; {diagnosis(stack, lost)}"
        ) from missing
    assert [app for app, n in cases.items() if n > 1] == []  # never twice
    for app_id, uscc in load.acknowledged:  # intake follows review's event for each
        eventually(
            partial(intake_status_is, client, tokens.enterprise(uscc), app_id, "under_review"),
            timeout=60,
            what=f"intake to show {app_id} under review",
        )


def where_are(stack: Stack, application_ids: list[str]) -> str:
    """Diagnosis of a failure: the intake outbox rows and review's inbox for them."""
    pg = stack.infra.pg
    assert pg is not None
    ids = ",".join(f"'{a}'" for a in application_ids[:5])
    suffix = (
        stack.processes["intake"].env["DATABASE_URL"].rsplit("/", 1)[1].removeprefix("sme_intake")
    )
    outbox = pg.psql(
        "SELECT event_type, published_at IS NOT NULL, attempts, parked_at IS NOT NULL"  # noqa: S608
        f" FROM outbox WHERE position(convert_to({ids.split(',')[0]}, 'UTF8') in envelope) > 0",
        database=f"sme_intake{suffix}",
    )
    review = pg.psql(
        "SELECT (SELECT count(*) FROM dead_letter), (SELECT count(*) FROM inbox),"
        " (SELECT count(*) FROM review_case)",
        database=f"sme_review{suffix}",
    )
    status = pg.psql(
        f"SELECT id, status, round FROM application WHERE id::text IN ({ids})",  # noqa: S608
        database=f"sme_intake{suffix}",
    )
    return f"intake outbox: {outbox!r}; intake rows: {status!r}; review dl/inbox/cases: {review!r}"


def diagnosis(stack: Stack, application_ids: list[str]) -> str:
    try:
        return where_are(stack, application_ids)
    except Exception as exc:  # a diagnosis must not hide the failure itself
        return f"no diagnosis: {exc!r}"


def intake_status_is(
    client: httpx.Client, headers: dict[str, str], app_id: str, status: str
) -> bool:
    response = client.get(f"/api/v1/applications/{app_id}", headers=headers)
    return response.status_code == 200 and response.json()["status"] == status


def test_broker_killed_and_restarted_under_submissions(stack: Stack, tokens: Tokens) -> None:
    kafka = stack.infra.kafka
    assert kafka is not None
    load = Load(stack.gateway_url, tokens)
    not_ready: list[dict[str, int]] = []
    with load.running():
        time.sleep(3)
        kafka.kill()
        try:
            deadline = time.monotonic() + 12
            while time.monotonic() < deadline:  # the outbox absorbs it: pods stay in rotation
                codes = readiness(stack)
                if any(code != 200 for code in codes.values()):
                    not_ready.append(codes)
                time.sleep(1)
        finally:
            kafka.start()
        time.sleep(4)
    assert not_ready == []
    assert set(load.statuses) <= {200, 201}, load.statuses
    assert_stored_once_and_agreed(stack, tokens, load)


def test_postgresql_stopped_immediately_and_restarted_under_submissions(
    stack: Stack, tokens: Tokens
) -> None:
    pg = stack.infra.pg
    assert pg is not None
    assert pg.psql("SHOW fsync").strip() == "on"  # durable, as `make run` runs it
    load = Load(stack.gateway_url, tokens)
    with load.running():
        time.sleep(3)
        pg.stop("immediate")  # a crash: no checkpoint, recovery from the WAL at start
        try:
            time.sleep(8)
        finally:
            pg.start()
        # The services recover by themselves: ready again without a restart.
        eventually(
            lambda: all(code == 200 for code in readiness(stack).values()),
            timeout=60,
            what="every service ready again",
        )
        time.sleep(3)
    assert load.statuses[503] > 0, "the outage was not noticed: the test proves nothing"
    assert_stored_once_and_agreed(stack, tokens, load)


def test_a_consumer_stopped_and_resumed_under_submissions(stack: Stack, tokens: Tokens) -> None:
    review = stack.processes["review"].process
    assert review is not None
    load = Load(stack.gateway_url, tokens)
    with load.running():
        time.sleep(2)
        review.send_signal(19)  # SIGSTOP: frozen, neither dead nor answering
        try:
            time.sleep(10)
        finally:
            review.send_signal(18)  # SIGCONT
        time.sleep(4)
    assert set(load.statuses) <= {200, 201}, load.statuses
    assert_stored_once_and_agreed(stack, tokens, load)
