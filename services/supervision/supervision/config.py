"""Supervision settings: the shared ones, named for this service."""

from __future__ import annotations

from functools import cache

from shared.settings import ServiceSettings

SERVICE = "supervision"


class SupervisionSettings(ServiceSettings):
    pass


@cache
def get_settings() -> SupervisionSettings:
    return SupervisionSettings(SME_SERVICE_NAME=SERVICE)
