"""Review settings: the shared ones, named for this service."""

from __future__ import annotations

from functools import cache

from pydantic import Field

from shared.platform.settings import ServiceSettings, settings_as

SERVICE = "review"


class ReviewSettings(ServiceSettings):
    # How often each replica checks for a year whose close has passed (contract § Round 2
    # "Year close"). Idempotent and serialised by an advisory lock per year.
    year_close_interval: float = Field(
        default=3600.0, gt=0, validation_alias="REVIEW_YEAR_CLOSE_INTERVAL"
    )


@cache
def get_settings() -> ReviewSettings:
    return ReviewSettings.from_environment(SERVICE)


def review_settings(settings: ServiceSettings) -> ReviewSettings:
    """The runtime's settings as this service's class (built once by create_service_app)."""
    return settings_as(settings, ReviewSettings)
