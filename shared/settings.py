"""Typed settings every service shares; each service subclasses with its own name.

One class, read from the environment. Outside `local`/`test` it refuses the unsafe
development defaults (no token key, fault injection), so a mis-configured production pod
fails at start-up instead of serving.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Environment(StrEnum):
    LOCAL = "local"
    TEST = "test"
    PRODUCTION = "production"


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    service_name: str = Field(default="", validation_alias="SME_SERVICE_NAME")
    environment: Environment = Field(default=Environment.LOCAL, validation_alias="SME_ENVIRONMENT")

    database_url: str = Field(
        default="postgresql+asyncpg://postgres@127.0.0.1:5544/sme", validation_alias="DATABASE_URL"
    )
    database_pool_size: int = Field(default=10, validation_alias="DATABASE_POOL_SIZE")
    migrate_on_start: bool = Field(default=True, validation_alias="MIGRATE_ON_START")

    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092", validation_alias="KAFKA_BOOTSTRAP_SERVERS"
    )
    # Test isolation only: several test stacks can share one broker without crossing.
    kafka_topic_prefix: str = Field(default="", validation_alias="KAFKA_TOPIC_PREFIX")
    kafka_security_protocol: str = Field(
        default="PLAINTEXT", validation_alias="KAFKA_SECURITY_PROTOCOL"
    )
    kafka_sasl_mechanism: str | None = Field(default=None, validation_alias="KAFKA_SASL_MECHANISM")
    kafka_sasl_username: str | None = Field(default=None, validation_alias="KAFKA_SASL_USERNAME")
    kafka_sasl_password: str | None = Field(default=None, validation_alias="KAFKA_SASL_PASSWORD")
    # The cluster CA (Strimzi signs its listener certificates with its own CA).
    kafka_ssl_cafile: Path | None = Field(default=None, validation_alias="KAFKA_SSL_CAFILE")

    jwt_public_key_file: Path | None = Field(default=None, validation_alias="JWT_PUBLIC_KEY_FILE")
    jwt_jwks_url: str | None = Field(default=None, validation_alias="JWT_JWKS_URL")
    jwt_issuer: str | None = Field(default=None, validation_alias="JWT_ISSUER")
    jwt_audience: str | None = Field(default=None, validation_alias="JWT_AUDIENCE")

    outbox_poll_interval: float = Field(
        default=1.0, gt=0, le=60, validation_alias="OUTBOX_POLL_INTERVAL"
    )
    outbox_batch_size: int = Field(
        default=200, ge=1, le=10_000, validation_alias="OUTBOX_BATCH_SIZE"
    )
    consumer_max_attempts: int = Field(
        default=4, ge=1, le=100, validation_alias="CONSUMER_MAX_ATTEMPTS"
    )
    consumer_retry_backoff: float = Field(
        default=0.2, ge=0, le=60, validation_alias="CONSUMER_RETRY_BACKOFF"
    )

    # Housekeeping: published outbox rows, and inbox records (must outlive Kafka's 7-day
    # retention, or a very late redelivery would be handled twice).
    outbox_retention_days: int = Field(
        default=7, ge=1, le=3650, validation_alias="OUTBOX_RETENTION_DAYS"
    )
    inbox_retention_days: int = Field(
        default=30, ge=8, le=3650, validation_alias="INBOX_RETENTION_DAYS"
    )

    # Object storage of evidence documents (S3 API: MinIO, Ceph RGW, a cloud's object
    # service; S3Proxy locally). Without an endpoint the store's own (AWS) endpoint is used.
    s3_endpoint_url: str | None = Field(default=None, validation_alias="S3_ENDPOINT_URL")
    s3_bucket: str = Field(default="sme-documents", validation_alias="S3_BUCKET")
    s3_region: str = Field(default="us-east-1", validation_alias="S3_REGION")
    s3_access_key_id: str | None = Field(default=None, validation_alias="S3_ACCESS_KEY_ID")
    s3_secret_access_key: str | None = Field(default=None, validation_alias="S3_SECRET_ACCESS_KEY")
    # Seconds one object-store call may take before the request answers 503.
    s3_timeout: float = Field(default=30.0, gt=0, le=600, validation_alias="S3_TIMEOUT")

    log_level: str = Field(default="INFO", validation_alias="LOG_LEVEL")
    # Deterministic crash points for the end-to-end tests (e.g. "after_db_commit:<event type>").
    fault_injection: str | None = Field(default=None, validation_alias="SME_FAULT_INJECTION")

    # Test-only: run this service N days off the real date (see shared.calendar.ShiftedClock).
    clock_offset_days: int = Field(
        default=0, ge=-3660, le=3660, validation_alias="SME_CLOCK_OFFSET_DAYS"
    )
    # Addresses whose X-Forwarded-* headers uvicorn trusts (the gateway in front of us).
    forwarded_allow_ips: str = Field(default="127.0.0.1", validation_alias="FORWARDED_ALLOW_IPS")

    @property
    def is_development(self) -> bool:
        return self.environment in (Environment.LOCAL, Environment.TEST)

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Self:
        if self.is_development:
            return self
        problems = []
        if self.jwt_jwks_url is None and self.jwt_public_key_file is None:
            problems.append("JWT_JWKS_URL (or JWT_PUBLIC_KEY_FILE) must be set")
        if not self.jwt_issuer or not self.jwt_audience:
            problems.append(
                "JWT_ISSUER and JWT_AUDIENCE must be set (tokens of other apps "
                "of the same identity provider must not be accepted)"
            )
        if self.fault_injection:
            problems.append("SME_FAULT_INJECTION is for tests only")
        if self.clock_offset_days:
            problems.append("SME_CLOCK_OFFSET_DAYS is for tests only")
        if self.kafka_topic_prefix:
            problems.append("KAFKA_TOPIC_PREFIX is for tests only: topics are part of the contract")
        if "@127.0.0.1" in self.database_url and "password" not in self.database_url:
            problems.append("DATABASE_URL still points at the local development database")
        if problems:
            raise ValueError("unsafe production settings: " + "; ".join(problems))
        return self
