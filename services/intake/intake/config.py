"""Intake settings: the shared ones, named for this service."""

from __future__ import annotations

from functools import cache

from shared.settings import ServiceSettings

SERVICE = "intake"


class IntakeSettings(ServiceSettings):
    pass


@cache
def get_settings() -> IntakeSettings:
    return IntakeSettings(SME_SERVICE_NAME=SERVICE)
