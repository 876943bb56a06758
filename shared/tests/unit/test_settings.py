"""Production refuses the development defaults (fail at start-up, not in service)."""

from __future__ import annotations

import pytest
from pydantic import Field, ValidationError

from shared.platform.settings import ServiceSettings, settings_as


def test_development_settings_need_nothing() -> None:
    assert ServiceSettings(SME_ENVIRONMENT="local").is_development


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ({}, "JWT_JWKS_URL"),
        (
            {"JWT_JWKS_URL": "https://idp/jwks", "SME_FAULT_INJECTION": "after_db_commit:x"},
            "SME_FAULT_INJECTION",
        ),
        ({"JWT_JWKS_URL": "https://idp/jwks", "KAFKA_TOPIC_PREFIX": "t."}, "KAFKA_TOPIC_PREFIX"),
        (
            {"JWT_JWKS_URL": "https://idp/jwks", "SME_CLOCK_OFFSET_DAYS": "-3"},
            "SME_CLOCK_OFFSET_DAYS",
        ),
    ],
)
def test_production_refuses_unsafe_settings(extra: dict[str, str], problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        ServiceSettings(
            SME_ENVIRONMENT="production",
            DATABASE_URL="postgresql+asyncpg://svc:secret@db/intake",
            JWT_ISSUER="https://idp.example",
            JWT_AUDIENCE="sme",
            **extra,
        )


def test_a_complete_production_configuration_is_accepted() -> None:
    settings = ServiceSettings(
        SME_ENVIRONMENT="production",
        JWT_JWKS_URL="https://idp/jwks",
        JWT_ISSUER="https://idp.example",
        JWT_AUDIENCE="sme",
        DATABASE_URL="postgresql+asyncpg://svc:secret@db/intake",
    )
    assert not settings.is_development


def test_production_refuses_the_local_development_issuer() -> None:
    with pytest.raises(ValidationError, match="JWT_ISSUER and JWT_AUDIENCE"):
        ServiceSettings(
            SME_ENVIRONMENT="production",
            JWT_JWKS_URL="https://idp/jwks",
            DATABASE_URL="postgresql+asyncpg://svc:secret@db/intake",
        )


class _OwnSettings(ServiceSettings):
    own_interval: float = Field(default=60.0, gt=0, validation_alias="OWN_INTERVAL")


def test_settings_as_keeps_the_shared_values_and_validates_the_own_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shared = ServiceSettings(SME_SERVICE_NAME="own", DATABASE_URL="postgresql+asyncpg://x/y")
    monkeypatch.setenv("OWN_INTERVAL", "5")
    own = settings_as(shared, _OwnSettings)
    assert isinstance(own, _OwnSettings)
    assert (own.service_name, own.database_url, own.own_interval) == (
        "own",
        "postgresql+asyncpg://x/y",
        5.0,
    )
    assert settings_as(own, _OwnSettings) is own
    monkeypatch.setenv("OWN_INTERVAL", "-1")  # validated, never constructed blindly
    with pytest.raises(ValidationError):
        settings_as(shared, _OwnSettings)
