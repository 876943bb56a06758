"""Review settings: the shared ones, named for this service."""

from __future__ import annotations

from functools import cache

from shared.settings import ServiceSettings

SERVICE = "review"


class ReviewSettings(ServiceSettings):
    pass


@cache
def get_settings() -> ReviewSettings:
    return ReviewSettings(SME_SERVICE_NAME=SERVICE)
