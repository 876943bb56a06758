"""Tracking settings: the shared ones, named for this service."""

from __future__ import annotations

from functools import cache

from shared.settings import ServiceSettings

SERVICE = "tracking"


class TrackingSettings(ServiceSettings):
    pass


@cache
def get_settings() -> TrackingSettings:
    return TrackingSettings(SME_SERVICE_NAME=SERVICE)
