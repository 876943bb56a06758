"""Intake settings: the shared ones, named for this service."""

from __future__ import annotations

from functools import cache

from pydantic import Field

from shared.settings import ServiceSettings

SERVICE = "intake"


class IntakeSettings(ServiceSettings):
    # How often each replica closes the drafts of a year whose close has passed.
    year_close_interval: float = Field(
        default=3600.0, gt=0, validation_alias="INTAKE_YEAR_CLOSE_INTERVAL"
    )


@cache
def get_settings() -> IntakeSettings:
    return IntakeSettings(SME_SERVICE_NAME=SERVICE)


def intake_settings(settings: ServiceSettings) -> IntakeSettings:
    """The intake view of whatever settings the app was built with (tests pass either)."""
    if isinstance(settings, IntakeSettings):
        return settings
    return get_settings()
