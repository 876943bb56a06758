"""Typed settings every service shares; each service subclasses with its own name.

One class, read from the environment. Outside `local`/`test` it refuses the unsafe
development defaults (no token key, fault injection), so a mis-configured production pod
fails at start-up instead of serving.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Self, TypeVar

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.platform.auth.tokens import DEFAULT_MAX_LIFETIME_SECONDS, LOCAL_AUDIENCE, LOCAL_ISSUER


class Environment(StrEnum):
    LOCAL = "local"
    TEST = "test"
    PRODUCTION = "production"


class ProcessRole(StrEnum):
    ALL = "all"
    API = "api"
    WORKER = "worker"


# Records per fetch, handled in one transaction per partition's share of it.
CONSUMER_MAX_BATCH = 200
# Partitions handled at once (each holds one database connection while it works).
CONSUMER_PARTITION_CONCURRENCY = 4


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    service_name: str = Field(default="", validation_alias="SME_SERVICE_NAME")
    environment: Environment = Field(default=Environment.LOCAL, validation_alias="SME_ENVIRONMENT")

    database_url: str = Field(
        default="postgresql+asyncpg://postgres@127.0.0.1:5544/sme", validation_alias="DATABASE_URL"
    )
    database_pool_size: int = Field(default=10, validation_alias="DATABASE_POOL_SIZE")
    # Bounded waits on the database: an outage answers 503 within these, never hangs.
    database_connect_timeout: float = Field(
        default=5.0, gt=0, le=60, validation_alias="DATABASE_CONNECT_TIMEOUT"
    )
    database_command_timeout: float = Field(
        default=30.0, gt=0, le=600, validation_alias="DATABASE_COMMAND_TIMEOUT"
    )
    database_pool_timeout: float = Field(
        default=10.0, gt=0, le=120, validation_alias="DATABASE_POOL_TIMEOUT"
    )
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
    # Always verified. The defaults are the local development issuer and audience the
    # development key signs with; production must name its identity provider's.
    jwt_issuer: str = Field(default=LOCAL_ISSUER, min_length=1, validation_alias="JWT_ISSUER")
    jwt_audience: str = Field(default=LOCAL_AUDIENCE, min_length=1, validation_alias="JWT_AUDIENCE")
    jwt_max_lifetime_seconds: int = Field(
        default=DEFAULT_MAX_LIFETIME_SECONDS,
        ge=60,
        le=7 * 86400,
        validation_alias="JWT_MAX_LIFETIME_SECONDS",
    )

    # Processes serving one service (uvicorn workers). Each runs the API, an outbox relay and
    # the consumers, like a replica: the relays share the outbox by SKIP LOCKED with per-key
    # order kept, the consumers share the partitions by their group, the jobs are
    # idempotent or serialised by advisory locks.
    web_workers: int = Field(default=1, ge=1, le=32, validation_alias="WEB_WORKERS")
    # What this process runs. `all`: the API and the background work (relay, consumer,
    # set-based jobs). Split, `api` processes answer requests only and a `worker` process
    # runs the background work (health, metrics and operations routes only), so a burst of
    # requests does not starve the relay on a shared event loop, and each side scales alone.
    process_role: ProcessRole = Field(default=ProcessRole.ALL, validation_alias="PROCESS_ROLE")
    outbox_poll_interval: float = Field(
        default=1.0, gt=0, le=60, validation_alias="OUTBOX_POLL_INTERVAL"
    )
    # Rows per relay round. A round costs about the same whatever its size (one claim
    # statement, one wait for the broker's acks, one UPDATE, the COMMIT), so a burst such
    # as a province-wide announcement drains in fewer rounds with a larger one.
    outbox_batch_size: int = Field(
        default=1000, ge=1, le=10_000, validation_alias="OUTBOX_BATCH_SIZE"
    )
    consumer_max_attempts: int = Field(
        default=4, ge=1, le=100, validation_alias="CONSUMER_MAX_ATTEMPTS"
    )
    # Records per fetch, handled in one transaction per partition's share of it; and how many
    # partitions are handled at once (each holds a database connection: keep it below
    # DB_POOL_SIZE, which the API needs too).
    consumer_max_batch: int = Field(
        default=CONSUMER_MAX_BATCH, ge=1, le=5_000, validation_alias="CONSUMER_MAX_BATCH"
    )
    consumer_partition_concurrency: int = Field(
        default=CONSUMER_PARTITION_CONCURRENCY,
        ge=1,
        le=64,
        validation_alias="CONSUMER_PARTITION_CONCURRENCY",
    )
    consumer_retry_backoff: float = Field(
        default=0.2, ge=0, le=60, validation_alias="CONSUMER_RETRY_BACKOFF"
    )

    # Housekeeping: published outbox rows, and inbox records. The inbox must outlive every
    # consumed topic's retention.ms + segment.ms (30 + 7 days in production), or a replay
    # would handle an event twice: checked against the broker at start-up
    # (shared.platform.messaging.retention).
    outbox_retention_days: int = Field(
        default=7, ge=1, le=3650, validation_alias="OUTBOX_RETENTION_DAYS"
    )
    inbox_retention_days: int = Field(
        default=45, ge=8, le=3650, validation_alias="INBOX_RETENTION_DAYS"
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

    # Test-only: run this service N days off the real date (see
    # shared.kernel.calendar.ShiftedClock).
    clock_offset_days: int = Field(
        default=0, ge=-3660, le=3660, validation_alias="SME_CLOCK_OFFSET_DAYS"
    )
    # Addresses whose X-Forwarded-* headers uvicorn trusts (the gateway in front of us).
    forwarded_allow_ips: str = Field(default="127.0.0.1", validation_alias="FORWARDED_ALLOW_IPS")
    # The gateway's one OpenAPI document and ReDoc's bundle, as files in the image
    # (deploy/docker/Dockerfile): the service the gateway routes /openapi.json, /docs and
    # /redoc to serves them (shared/platform/web/openapi_docs.py); unset, it serves its own docs
    # only.
    gateway_openapi: Path | None = Field(default=None, validation_alias="SME_GATEWAY_OPENAPI")
    redoc_bundle: Path | None = Field(default=None, validation_alias="SME_REDOC_BUNDLE")

    @classmethod
    def from_environment(cls, service: str) -> Self:
        """This class's settings read from the environment, validated (refused if unsafe)."""
        return cls(SME_SERVICE_NAME=service)

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
        if self.jwt_issuer == LOCAL_ISSUER or self.jwt_audience == LOCAL_AUDIENCE:
            problems.append(
                "JWT_ISSUER and JWT_AUDIENCE must name the identity provider and this "
                "application (tokens of other apps of the same identity provider, or signed "
                "for local development, must not be accepted)"
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


SettingsT = TypeVar("SettingsT", bound=ServiceSettings)


def settings_as(settings: ServiceSettings, cls: type[SettingsT]) -> SettingsT:
    """`settings` as a service's own class, validated like any other settings.

    The shared fields keep their given values; the service's own fields come from the
    environment (defaults otherwise), exactly as if the class had been built at start-up.
    `create_service_app` does this once, so `runtime.settings` is the service's class.
    """
    if isinstance(settings, cls):
        return settings
    given = {
        field.validation_alias: getattr(settings, name)
        for name, field in type(settings).model_fields.items()
        if isinstance(field.validation_alias, str)
    }
    return cls(**given)
