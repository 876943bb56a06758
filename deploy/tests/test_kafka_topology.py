"""Kafka topics and users (Strimzi) are exactly the agreed ones.

The expected table is written out here on purpose, not taken from the generator: a change
of who may read or write what has to change this test too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gen_manifests
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
KAFKA = ROOT / "deploy" / "k8s" / "base" / "kafka"
COMPOSE_TOPICS = ROOT / "deploy" / "compose" / "kafka" / "topics.txt"

R, W, D = "Read", "Write", "Describe"

EVENT_TOPICS = {
    "sme.policy.v1",
    "sme.application.v1",
    "sme.review.v1",
    "sme.publicity.v1",
    "sme.registration.v1",
    "sme.supervision.v1",
    "sme.credit.v1",
    "sme.tracking.v1",
}
INBOUND_TOPICS = {"ext.market-supervision.listing.v1", "ext.tax.credit.v1", "ext.incident.v1"}

CONSUMES = {
    "intake": {"sme.review.v1", "sme.publicity.v1", "sme.registration.v1"},
    "review": {"sme.policy.v1", "sme.application.v1", "sme.supervision.v1", "sme.credit.v1"},
    # sme.review.v1: review's spot-check results (shared/kernel/events/topics.py).
    "supervision": {
        "sme.policy.v1",
        "sme.review.v1",
        "sme.registration.v1",
        "sme.publicity.v1",
        *INBOUND_TOPICS,
    },
    "tracking": {"sme.policy.v1", "sme.registration.v1"},
}
PRODUCES = {
    "intake": {"sme.policy.v1", "sme.application.v1"},
    "review": {"sme.review.v1", "sme.publicity.v1", "sme.registration.v1"},
    "supervision": {"sme.supervision.v1", "sme.credit.v1"},
    "tracking": {"sme.tracking.v1"},
}
DEAD_LETTERS = {f"{t}.dlq.{s}" for s, topics in CONSUMES.items() for t in topics}

Acl = tuple[str, str, str]  # (resource type, name, pattern type)


def docs(name: str) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all((KAFKA / name).read_text(encoding="utf-8")) if d]


def acls(user: dict[str, Any]) -> dict[Acl, set[str]]:
    out: dict[Acl, set[str]] = {}
    for rule in user["spec"]["authorization"]["acls"]:
        assert rule.get("type", "allow") == "allow"
        assert rule.get("host", "*") == "*"
        res = rule["resource"]
        key = (res["type"], res["name"], res.get("patternType", "literal"))
        assert key not in out, f"{key} twice"
        out[key] = set(rule["operations"])
    return out


def users() -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs("users.yaml")}


def expected_service_acls(service: str) -> dict[Acl, set[str]]:
    want: dict[Acl, set[str]] = {("topic", t, "literal"): {R, D} for t in CONSUMES[service]}
    want.update({("topic", t, "literal"): {W, D} for t in PRODUCES[service]})
    want.update(
        {("topic", t, "literal"): {R, W, D} for t in DEAD_LETTERS if t.endswith(f".{service}")}
    )
    want[("group", f"{service}.", "prefix")] = {R, D}
    return want


def test_a_topic_for_every_event_inbound_and_dead_letter_topic() -> None:
    topics = {d["spec"]["topicName"]: d for d in docs("topics.yaml")}
    assert set(topics) == EVENT_TOPICS | INBOUND_TOPICS | DEAD_LETTERS
    for name, topic in topics.items():
        assert topic["metadata"]["name"] == name
        assert topic["metadata"]["labels"]["strimzi.io/cluster"] == "sme-kafka"
        assert (topic["spec"]["partitions"], topic["spec"]["replicas"]) == (12, 3)
        assert topic["spec"]["config"]["min.insync.replicas"] == 2


def test_compose_creates_the_same_topics() -> None:
    lines = COMPOSE_TOPICS.read_text(encoding="utf-8").splitlines()
    listed = [line for line in lines if line and not line.startswith("#")]
    assert len(listed) == len(set(listed))
    assert set(listed) == EVENT_TOPICS | INBOUND_TOPICS | DEAD_LETTERS


@pytest.mark.parametrize("service", sorted(CONSUMES))
def test_service_user_reads_what_it_consumes_and_writes_what_it_emits(service: str) -> None:
    user = users()[f"svc-{service}"]
    assert user["spec"]["authentication"] == {"type": "scram-sha-512"}
    assert user["spec"]["authorization"]["type"] == "simple"
    assert acls(user) == expected_service_acls(service)


def test_each_event_topic_has_one_writer_service() -> None:
    writers: dict[str, list[str]] = {}
    for name, user in users().items():
        for (kind, topic, _), ops in acls(user).items():
            if kind == "topic" and W in ops and ".dlq." not in topic:
                writers.setdefault(topic, []).append(name)
    assert {t: sorted(w) for t, w in writers.items()} == {
        **{t: [f"svc-{s}"] for s, ts in PRODUCES.items() for t in ts},
        "ext.tax.credit.v1": ["agency-tax"],
        "ext.market-supervision.listing.v1": ["agency-market-supervision"],
        "ext.incident.v1": ["agency-incident"],
    }


def test_agencies_read_what_they_subscribe_to_and_write_only_their_inbound_topic() -> None:
    all_users = users()
    assert acls(all_users["agency-tax"]) == {
        ("topic", "sme.registration.v1", "literal"): {R, D},
        ("group", "agency-tax.", "prefix"): {R, D},
        ("topic", "ext.tax.credit.v1", "literal"): {W, D},
    }
    assert acls(all_users["agency-market-supervision"]) == {
        ("topic", "sme.registration.v1", "literal"): {R, D},
        ("group", "agency-market-supervision.", "prefix"): {R, D},
        ("topic", "ext.market-supervision.listing.v1", "literal"): {W, D},
    }
    assert acls(all_users["agency-incident"]) == {
        ("topic", "ext.incident.v1", "literal"): {W, D},
    }
    for name in ("agency-tax", "agency-market-supervision", "agency-incident"):
        assert all_users[name]["spec"]["authentication"] == {"type": "scram-sha-512"}


def test_no_other_users() -> None:
    assert set(users()) == {
        "svc-intake",
        "svc-review",
        "svc-supervision",
        "svc-tracking",
        "agency-tax",
        "agency-market-supervision",
        "agency-incident",
    }


def test_committed_files_are_what_the_generator_writes() -> None:
    assert gen_manifests.main(["--check"]) == 0
