"""aiokafka client construction from settings (one place for security options)."""

from __future__ import annotations

import ssl
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from shared.kernel.events.topics import MAX_MESSAGE_BYTES
from shared.platform.settings import ServiceSettings


def connection_options(settings: ServiceSettings) -> dict[str, Any]:
    options: dict[str, Any] = {
        "bootstrap_servers": settings.kafka_bootstrap_servers,
        "security_protocol": settings.kafka_security_protocol,
    }
    if settings.kafka_security_protocol in ("SSL", "SASL_SSL"):
        cafile = str(settings.kafka_ssl_cafile) if settings.kafka_ssl_cafile else None
        options["ssl_context"] = ssl.create_default_context(cafile=cafile)
    if settings.kafka_sasl_mechanism:
        options["sasl_mechanism"] = settings.kafka_sasl_mechanism
        options["sasl_plain_username"] = settings.kafka_sasl_username
        options["sasl_plain_password"] = settings.kafka_sasl_password
    return options


def new_producer(settings: ServiceSettings, client_id: str) -> AIOKafkaProducer:
    # Idempotent producer with acks=all: a retried send never duplicates or reorders within
    # a partition. No transactions (brief): the outbox and the inbox give exactly-once effects.
    return AIOKafkaProducer(
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        request_timeout_ms=10_000,
        retry_backoff_ms=200,
        max_request_size=MAX_MESSAGE_BYTES,
        **connection_options(settings),
    )


def new_consumer(settings: ServiceSettings, topics: list[str], group_id: str) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        *topics,
        group_id=group_id,
        client_id=group_id,
        enable_auto_commit=False,  # offsets are committed after the database transaction
        auto_offset_reset="earliest",
        max_poll_interval_ms=300_000,
        session_timeout_ms=30_000,
        heartbeat_interval_ms=3_000,
        metadata_max_age_ms=30_000,
        **connection_options(settings),
    )
