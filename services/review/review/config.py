"""Review settings: the shared ones, named for this service."""

from __future__ import annotations

from functools import cache

from pydantic import Field

from shared.settings import ServiceSettings

SERVICE = "review"


class ReviewSettings(ServiceSettings):
    # How often each replica checks for a year whose close has passed (contract § Round 2
    # "Year close"). Idempotent and serialised by an advisory lock per year.
    year_close_interval: float = Field(
        default=3600.0, gt=0, validation_alias="REVIEW_YEAR_CLOSE_INTERVAL"
    )


@cache
def get_settings() -> ReviewSettings:
    return ReviewSettings(SME_SERVICE_NAME=SERVICE)


def review_settings(settings: ServiceSettings) -> ReviewSettings:
    """The review view of whatever settings the app was built with (tests pass either)."""
    if isinstance(settings, ReviewSettings):
        return settings
    return get_settings()
