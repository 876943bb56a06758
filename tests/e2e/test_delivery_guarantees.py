"""Issue 2: nothing lost, nothing doubled, poison messages do not stall a partition.

These tests stop Kafka and kill processes, so they run on a broker of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from localdev.stack import Infra, Stack
from localdev.testing import Tokens, new_stack

from .helpers import cases_of, eventually, new_uscc, submit_new_application

pytestmark = pytest.mark.e2e

SUBMITTED = "cn.sme.application.submitted.v1"


@pytest.fixture(scope="module")
def own_stack(private_kafka_infra: Infra) -> Iterator[Stack]:
    stack = new_stack(private_kafka_infra, "guarantees")
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


def metric(stack: Stack, service: str, name: str, **labels: str) -> float:
    text = httpx.get(stack.processes[service].url + "/metrics", timeout=5).text
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name + "{"):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_applications_submitted_while_kafka_is_down_all_reach_review_once(
    own_stack: Stack, tokens: Tokens
) -> None:
    client = httpx.Client(base_url=own_stack.gateway_url, timeout=30)
    kafka = own_stack.infra.kafka
    assert kafka is not None
    kafka.kill()  # an outage, not a maintenance window
    try:
        usccs = {new_uscc("150502") for _ in range(50)}
        for uscc in usccs:  # intake keeps working: the events wait in its outbox
            submit_new_application(client, tokens, uscc, region="150502")
    finally:
        kafka.start()

    def all_cases() -> list[dict[str, object]] | None:
        cases = [c for c in cases_of(client, tokens, "150500") if c["uscc"] in usccs]
        return cases if len(cases) >= len(usccs) else None

    cases = eventually(all_cases, timeout=120, every=1, what="50 review cases")
    assert len(cases) == 50
    assert {c["uscc"] for c in cases} == usccs
    assert len({c["application_id"] for c in cases}) == 50


def test_a_consumer_killed_between_its_commit_and_its_offset_commit_creates_no_duplicate(
    own_stack: Stack, tokens: Tokens
) -> None:
    client = httpx.Client(base_url=own_stack.gateway_url, timeout=30)
    review = own_stack.processes["review"]
    own_stack.restart("review", {"SME_FAULT_INJECTION": f"after_db_commit:{SUBMITTED}"})
    uscc = new_uscc("150402")
    submit_new_application(client, tokens, uscc, region="150402")

    # review commits the case and its inbox record, then dies before committing the offset
    process = own_stack.processes["review"].process
    assert process is not None
    process.wait(60)
    assert process.returncode == -9

    own_stack.restart("review", {"SME_FAULT_INJECTION": ""})
    eventually(
        lambda: (
            metric(
                own_stack, "review", "sme_events_handled_total", type=SUBMITTED, outcome="duplicate"
            )
            >= 1
        ),
        timeout=60,
        what="the redelivered submission recognised as a duplicate",
    )
    cases = [c for c in cases_of(client, tokens, "150400") if c["uscc"] == uscc]
    assert len(cases) == 1
    assert review.port == own_stack.processes["review"].port


async def test_a_malformed_message_goes_to_the_dead_letter_topic_and_the_next_is_handled(
    own_stack: Stack, tokens: Tokens
) -> None:
    topic = own_stack.topic_prefix + "sme.application.v1"
    producer = AIOKafkaProducer(bootstrap_servers=own_stack.infra.bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(
            topic, b'{"specversion": "1.0", "type": 42}', key=b"91150105MA0Q4XXXXA"
        )
    finally:
        await producer.stop()

    client = httpx.Client(base_url=own_stack.gateway_url, timeout=30)
    uscc = new_uscc("150602")
    submit_new_application(client, tokens, uscc, region="150602")
    eventually(
        lambda: [c for c in cases_of(client, tokens, "150600") if c["uscc"] == uscc],
        timeout=60,
        what="the good message after the poison one",
    )

    letters = client.get("/api/v1/ops/review/dead-letters", headers=tokens.province()).json()
    assert any(letter["topic"] == "sme.application.v1" for letter in letters["items"])

    dlq = AIOKafkaConsumer(
        topic + ".dlq.review",
        bootstrap_servers=own_stack.infra.bootstrap,
        auto_offset_reset="earliest",
    )
    await dlq.start()
    try:
        batch = await dlq.getmany(timeout_ms=10_000)
    finally:
        await dlq.stop()
    [letter] = [m for messages in batch.values() for m in messages]
    headers = dict(letter.headers)
    assert headers["x-original-topic"] == b"sme.application.v1"
    assert headers["x-consumer"] == f"{own_stack.topic_prefix}review.events".encode()
    assert headers["x-error"]


def test_sigterm_drains_and_commits_so_a_restart_redelivers_nothing(
    own_stack: Stack, tokens: Tokens
) -> None:
    client = httpx.Client(base_url=own_stack.gateway_url, timeout=30)
    first = new_uscc("150802")
    submit_new_application(client, tokens, first, region="150802")
    eventually(
        lambda: [c for c in cases_of(client, tokens, "150800") if c["uscc"] == first],
        timeout=60,
        what="the first case",
    )

    review = own_stack.processes["review"]
    logged_before = review.log_file.stat().st_size
    review.stop()  # SIGTERM: finish the message in hand, commit the offset, close
    assert review.process is not None
    # uvicorn re-raises the signal after its graceful shutdown, so the exit status is
    # "terminated by SIGTERM"; what matters is that the shutdown ran to its end.
    assert review.process.returncode in (0, -15)
    with review.log_file.open("rb") as log:
        log.seek(logged_before)
        stopped = log.read()
    assert b'"msg":"service stopped"' in stopped
    assert b'"msg":"Finished server process' in stopped

    own_stack.restart("review")
    second = new_uscc("150802")
    submit_new_application(client, tokens, second, region="150802")
    eventually(
        lambda: [c for c in cases_of(client, tokens, "150800") if c["uscc"] == second],
        timeout=60,
        what="the second case",
    )
    # Offsets were committed on the way down: nothing came again for the inbox to absorb.
    assert metric(own_stack, "review", "sme_events_handled_total", outcome="duplicate") == 0
