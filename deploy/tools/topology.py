"""Who talks to Kafka how: the one table the deployment files are generated from.

Consumers and dead-letter topics come from the code (`shared/kernel/events/topics.py`, loaded by
file path so that nothing else of the shared package is imported); producers, consumer
groups and the other agencies' users are deployment facts declared here.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
TOPICS_MODULE = ROOT / "shared" / "kernel" / "events" / "topics.py"

SERVICES = ("intake", "review", "supervision", "tracking")
PARTITIONS = 12  # production and compose alike: key = USCC, never repartitioned
REPLICAS = 3  # Kubernetes (Strimzi); compose is a single broker


def _load_topics() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_sme_topics", TOPICS_MODULE)
    if spec is None or spec.loader is None:  # pragma: no cover - the file is part of the repo
        raise RuntimeError(f"cannot load {TOPICS_MODULE}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


topics = _load_topics()

ALL_TOPICS: tuple[str, ...] = tuple(topics.ALL_TOPICS)
INBOUND_TOPICS: tuple[str, ...] = tuple(topics.INBOUND_TOPICS)
MAX_MESSAGE_BYTES: int = topics.MAX_MESSAGE_BYTES
CONSUMED_BY: dict[str, tuple[str, ...]] = {s: tuple(t) for s, t in topics.CONSUMED_BY.items()}

# service -> topics it writes (its event families; architecture.md "emits").
PRODUCED_BY: dict[str, tuple[str, ...]] = {
    "intake": (topics.POLICY, topics.APPLICATION),
    "review": (topics.REVIEW, topics.PUBLICITY, topics.REGISTRATION),
    "supervision": (topics.SUPERVISION, topics.CREDIT),
    "tracking": (topics.TRACKING,),
}


def dead_letter_topics(service: str) -> tuple[str, ...]:
    return tuple(topics.dead_letter_topic(t, service) for t in CONSUMED_BY[service])


def every_topic() -> tuple[str, ...]:
    """Every topic the broker needs, dead letters included, in a stable order."""
    return tuple(ALL_TOPICS) + tuple(t for s in SERVICES for t in dead_letter_topics(s))


def consumer_group_prefix(service: str) -> str:
    """Consumer groups are `<service>.events` (and e.g. `<service>.dlq-replay`)."""
    return f"{service}."


@dataclass(frozen=True)
class Agency:
    """Another agency's system on the broker: reads what it subscribes to, writes one topic."""

    user: str
    title: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]

    @property
    def group_prefix(self) -> str | None:
        return f"{self.user}." if self.reads else None


AGENCIES: tuple[Agency, ...] = (
    Agency(
        user="agency-tax",
        title="税务 tax administration",
        reads=(topics.REGISTRATION,),
        writes=(topics.EXT_TAX_CREDIT,),
    ),
    Agency(
        user="agency-market-supervision",
        title="市场监管 market supervision",
        reads=(topics.REGISTRATION,),
        writes=(topics.EXT_MARKET_LISTING,),
    ),
    Agency(
        user="agency-incident",
        title="应急管理 emergency management (incident publisher)",
        reads=(),
        writes=(topics.EXT_INCIDENT,),
    ),
)


def service_user(service: str) -> str:
    """Kafka user (and the Secret Strimzi's User Operator creates for it) of a service."""
    return f"svc-{service}"
