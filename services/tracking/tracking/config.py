"""Tracking settings: the shared ones, named for this service, plus the overdue job's pace."""

from __future__ import annotations

from functools import cache

from pydantic import Field

from shared.platform.settings import ServiceSettings, settings_as

SERVICE = "tracking"


class TrackingSettings(ServiceSettings):
    # How often each replica looks for reports missing past their due date. The job is
    # idempotent (one set-based UPDATE of `due` rows), so several replicas may run it.
    overdue_detection_interval: float = Field(
        default=3600.0, gt=0, validation_alias="TRACKING_OVERDUE_INTERVAL"
    )
    # Tiering (分层分类) looks at an enterprise's most recent reported quarters, at most this
    # many (a rolling year by default): R&D intensity over all of them, revenue growth from
    # the earliest to the latest of them.
    tier_window_quarters: int = Field(
        default=4, ge=2, le=12, validation_alias="TRACKING_TIER_WINDOW_QUARTERS"
    )


@cache
def get_settings() -> TrackingSettings:
    return TrackingSettings.from_environment(SERVICE)


def tracking_settings(settings: ServiceSettings) -> TrackingSettings:
    """The runtime's settings as this service's class (built once by create_service_app)."""
    return settings_as(settings, TrackingSettings)
