"""Intake settings: the shared ones, named for this service."""

from __future__ import annotations

from functools import cache
from typing import Self

from pydantic import Field, model_validator

from shared.platform.settings import ServiceSettings, settings_as

SERVICE = "intake"


class IntakeSettings(ServiceSettings):
    # How often each replica closes the drafts of a year whose close has passed.
    year_close_interval: float = Field(
        default=3600.0, gt=0, validation_alias="INTAKE_YEAR_CLOSE_INTERVAL"
    )

    @model_validator(mode="after")
    def _object_store_in_production(self) -> Self:
        # Intake alone keeps evidence documents: its pods must name their object store.
        if not self.is_development and (
            not self.s3_access_key_id
            or not self.s3_secret_access_key
            or self.s3_access_key_id == "sme-local-access"
        ):
            raise ValueError(
                "unsafe production settings: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be "
                "set (the object store of evidence documents), not the local development ones"
            )
        return self


@cache
def get_settings() -> IntakeSettings:
    return IntakeSettings.from_environment(SERVICE)


def intake_settings(settings: ServiceSettings) -> IntakeSettings:
    """The runtime's settings as this service's class (built once by create_service_app)."""
    return settings_as(settings, IntakeSettings)
