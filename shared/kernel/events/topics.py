"""Kafka topics: one per event family, key = the enterprise's USCC (architecture.md "Events").

Which service consumes which topic is declared here once, so dead-letter topics, the local
broker's topic creation, the Strimzi resources and the consumers agree.
"""

from __future__ import annotations

from typing import Final

POLICY: Final = "sme.policy.v1"
APPLICATION: Final = "sme.application.v1"
REVIEW: Final = "sme.review.v1"
PUBLICITY: Final = "sme.publicity.v1"
REGISTRATION: Final = "sme.registration.v1"
SUPERVISION: Final = "sme.supervision.v1"
CREDIT: Final = "sme.credit.v1"
TRACKING: Final = "sme.tracking.v1"
# Inbound from other agencies.
EXT_MARKET_LISTING: Final = "ext.market-supervision.listing.v1"
EXT_TAX_CREDIT: Final = "ext.tax.credit.v1"
EXT_INCIDENT: Final = "ext.incident.v1"

# The largest event a topic takes (topic `max.message.bytes`, the producer's request limit).
# Kafka's 1 MiB default is too small for `cn.sme.publicity.announced.v1`: it lists every case
# of the batch, ~115 bytes each, so a province-wide batch of 20,000 is ~2.3 MB. 8 MiB leaves
# room for ~70,000 cases; consumers need no setting (a fetch returns at least one batch
# whatever its size, KIP-74).
MAX_MESSAGE_BYTES: Final = 8 * 1024 * 1024

OWN_TOPICS: Final = (
    POLICY,
    APPLICATION,
    REVIEW,
    PUBLICITY,
    REGISTRATION,
    SUPERVISION,
    CREDIT,
    TRACKING,
)
INBOUND_TOPICS: Final = (EXT_MARKET_LISTING, EXT_TAX_CREDIT, EXT_INCIDENT)
ALL_TOPICS: Final = OWN_TOPICS + INBOUND_TOPICS

# service -> topics it consumes (architecture.md table "consumes").
CONSUMED_BY: Final[dict[str, tuple[str, ...]]] = {
    "intake": (REVIEW, PUBLICITY, REGISTRATION),
    "review": (POLICY, APPLICATION, SUPERVISION, CREDIT),
    # review's spot-check results travel on its own topic (review family).
    "supervision": (
        POLICY,
        REVIEW,
        REGISTRATION,
        PUBLICITY,
        EXT_MARKET_LISTING,
        EXT_TAX_CREDIT,
        EXT_INCIDENT,
    ),
    "tracking": (POLICY, REGISTRATION),
}


def dead_letter_topic(topic: str, consumer_service: str) -> str:
    return f"{topic}.dlq.{consumer_service}"


def all_dead_letter_topics() -> tuple[str, ...]:
    return tuple(
        dead_letter_topic(t, service) for service, topics in CONSUMED_BY.items() for t in topics
    )


def with_prefix(topic: str, prefix: str) -> str:
    return f"{prefix}{topic}"


def every_topic(prefix: str = "") -> tuple[str, ...]:
    """All topics a broker for this system needs, dead letters included."""
    return tuple(with_prefix(t, prefix) for t in ALL_TOPICS + all_dead_letter_topics())
