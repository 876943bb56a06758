"""Intake settings: the shared ones, named for this service."""

from __future__ import annotations

from functools import cache
from typing import Self

from pydantic import model_validator

from shared.settings import ServiceSettings

SERVICE = "intake"


class IntakeSettings(ServiceSettings):
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
    return IntakeSettings(SME_SERVICE_NAME=SERVICE)
