"""Issue 9 end to end: other agencies' own clients, built from examples/, against the real
broker and services.

- the tax agency's Java subscriber (kafka-clients + the CloudEvents Java SDK) and its Python
  subscriber (confluent-kafka + the CloudEvents Python SDK) see a registration issued here,
  in our structured content mode, and check it with GET /registrations/verify;
- the market-supervision Java publisher sends a listing in BINARY content mode with the Java
  SDK's serializer, and supervision archives it (GET /credit/{uscc});
- nothing lands in a dead-letter topic.

The Java samples are built once per run (`mvn package`; the Maven cache is .local/m2).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from localdev.kafka import MAVEN_REPO
from localdev.paths import REPO_ROOT
from localdev.stack import Stack
from localdev.testing import Tokens
from shared.kernel.events.topics import all_dead_letter_topics, with_prefix

from .helpers import eventually, new_uscc
from .test_supervision_joint_punishment import registered_enterprise

pytestmark = pytest.mark.e2e

EXAMPLES = REPO_ROOT / "examples"
CLIENT_TIMEOUT = 120


@pytest.fixture(scope="module")
def java_samples() -> dict[str, list[str]]:
    """Both Java samples built with one Maven run; the command line that runs each."""
    subprocess.run(
        [
            "mvn",
            "-q",
            "-B",
            "-f",
            str(EXAMPLES / "pom.xml"),
            f"-Dmaven.repo.local={MAVEN_REPO}",
            "package",
        ],
        check=True,
        timeout=600,
    )

    def command(project: str, jar: str, main_class: str) -> list[str]:
        target = EXAMPLES / project / "target"
        return ["java", "-cp", f"{target / jar}{os.pathsep}{target / 'lib' / '*'}", main_class]

    return {
        "subscriber": command(
            "tax-subscriber-java", "tax-subscriber.jar", "cn.gov.nmg.sme.examples.tax.TaxSubscriber"
        ),
        "publisher": command(
            "market-supervision-publisher-java",
            "market-supervision-publisher.jar",
            "cn.gov.nmg.sme.examples.samr.ListingPublisher",
        ),
    }


@pytest.fixture
def http(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.gateway_url, timeout=15) as client:
        yield client


def broker_env(stack: Stack, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": stack.infra.bootstrap,
        "TOPIC_PREFIX": stack.topic_prefix,
        **extra,
    }


def finished(process: subprocess.Popen[str], what: str) -> str:
    try:
        out, err = process.communicate(timeout=CLIENT_TIMEOUT + 30)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
    assert process.returncode == 0, f"{what} exited {process.returncode}:\n{out}\n{err[-3000:]}"
    return out


def assert_no_dead_letters(stack: Stack) -> None:
    """Every dead-letter topic of the stack is empty (end offsets 0: nothing was ever written)."""

    async def counts() -> dict[str, int]:
        topics = [with_prefix(t, stack.topic_prefix) for t in all_dead_letter_topics()]
        admin = AIOKafkaAdminClient(bootstrap_servers=stack.infra.bootstrap)
        consumer = AIOKafkaConsumer(bootstrap_servers=stack.infra.bootstrap)
        await admin.start()
        await consumer.start()
        try:
            described = await admin.describe_topics(topics)
            found: dict[str, int] = {}
            for topic in described:
                if topic["error_code"] or not topic["partitions"]:
                    continue  # not created: nothing was written to it either
                ends = await consumer.end_offsets(
                    [TopicPartition(topic["topic"], p["partition"]) for p in topic["partitions"]]
                )
                found[topic["topic"]] = sum(ends.values())
            return found
        finally:
            await consumer.stop()
            await admin.close()

    found = asyncio.run(counts())
    assert any(t.endswith(".dlq.supervision") for t in found), found
    assert {t: n for t, n in found.items() if n} == {}


def test_the_tax_subscribers_see_and_verify_an_issued_registration(
    http: httpx.Client, tokens: Tokens, stack: Stack, java_samples: dict[str, list[str]]
) -> None:
    uscc = new_uscc()
    registration = registered_enterprise(http, tokens, uscc)
    token = tokens.external("tax")["Authorization"].removeprefix("Bearer ")
    # Consumer groups under the prefix the agency-tax user's ACL allows (after the test
    # stack's own topic prefix, which isolates parallel stacks).
    client_env = {
        "API_BASE_URL": f"{stack.gateway_url}/api/v1",
        "API_TOKEN": token,
        "STOP_AFTER_USCC": uscc,
        "MAX_SECONDS": str(CLIENT_TIMEOUT),
    }
    java = subprocess.Popen(
        java_samples["subscriber"],
        env=broker_env(stack, KAFKA_GROUP_ID=f"{stack.topic_prefix}agency-tax.java", **client_env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    python = subprocess.Popen(
        [
            sys.executable,
            str(EXAMPLES / "tax-subscriber-python" / "subscriber.py"),
            "--bootstrap",
            stack.infra.bootstrap,
            "--topic-prefix",
            stack.topic_prefix,
            "--group",
            f"{stack.topic_prefix}agency-tax.python",
            "--api",
            client_env["API_BASE_URL"],
            "--token",
            token,
            "--stop-after-uscc",
            uscc,
            "--max-seconds",
            str(CLIENT_TIMEOUT),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    expected = (
        f"ISSUED number={registration['number']} uscc={uscc} year=2026",
        "verify.status=valid verify.registered=true",
    )
    for process, what in ((java, "Java tax subscriber"), (python, "Python tax subscriber")):
        out = finished(process, what)
        lines = [line for line in out.splitlines() if f"uscc={uscc}" in line]
        assert lines, f"{what} printed nothing for {uscc}:\n{out}"
        assert expected[0] in lines[0], lines[0]
        assert expected[1] in lines[0], lines[0]
    assert_no_dead_letters(stack)


def test_a_listing_published_in_binary_mode_by_the_java_sdk_is_archived(
    http: httpx.Client, tokens: Tokens, stack: Stack, java_samples: dict[str, list[str]]
) -> None:
    uscc = new_uscc()
    published = subprocess.run(
        [*java_samples["publisher"], uscc, "abnormal_operation", "2026-10-01", "无法联系"],
        env=broker_env(stack),
        capture_output=True,
        text=True,
        timeout=CLIENT_TIMEOUT,
    )
    assert published.returncode == 0, published.stderr[-3000:]
    assert "PUBLISHED type=cn.samr.listing.added.v1" in published.stdout
    assert "mode=binary" in published.stdout

    def archived() -> list[dict[str, object]]:
        response = http.get(f"/api/v1/credit/{uscc}", headers=tokens.external())
        assert response.status_code == 200, response.text
        items: list[dict[str, object]] = response.json()["items"]
        return [e for e in items if e["kind"] == "abnormal_operation"]

    [entry] = eventually(archived, timeout=60, what="the listing in the credit archive")
    assert entry["starts_on"] == "2026-10-01"
    assert_no_dead_letters(stack)
