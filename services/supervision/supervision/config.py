"""Supervision settings: the shared ones, named for this service, plus the limits of the
public filing endpoint (operational settings, not yearly policy)."""

from __future__ import annotations

from functools import cache

from pydantic import Field

from shared.platform.settings import ServiceSettings, settings_as

SERVICE = "supervision"

# The whole service accepts small JSON bodies only: the public filing endpoint is the
# largest (facts up to 5,000 characters, at most 20 evidence items), and it needs no token.
MAX_BODY_BYTES = 64_000


class SupervisionSettings(ServiceSettings):
    # Public filing (POST /cases): at most `filing_rate_limit` accepted filings per client
    # address (or per token subject) in any sliding window of `filing_rate_window_seconds`.
    # The counter lives in PostgreSQL, so every replica shares it.
    filing_rate_limit: int = Field(default=20, ge=1, validation_alias="FILING_RATE_LIMIT")
    filing_rate_window_seconds: int = Field(
        default=3600, ge=10, validation_alias="FILING_RATE_WINDOW_SECONDS"
    )
    # How many reverse proxies we run in front of the service (the gateway = 1). The client
    # address is the X-Forwarded-For entry that many places from the right: entries further
    # left were written by the client itself and can be forged. 0 = use the socket address.
    trusted_proxy_hops: int = Field(default=1, ge=0, le=5, validation_alias="TRUSTED_PROXY_HOPS")
    # "Within a day": the same filer, subject and text again within this many hours
    # returns the case already filed.
    duplicate_window_hours: int = Field(
        default=24, ge=1, le=24 * 7, validation_alias="DUPLICATE_WINDOW_HOURS"
    )


@cache
def get_settings() -> SupervisionSettings:
    return SupervisionSettings.from_environment(SERVICE)


def supervision_settings(settings: ServiceSettings) -> SupervisionSettings:
    """The runtime's settings as this service's class (built once by create_service_app)."""
    return settings_as(settings, SupervisionSettings)
