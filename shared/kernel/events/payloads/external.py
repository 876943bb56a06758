"""Inbound events other agencies publish to us (market supervision, tax, incidents)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from shared.kernel.events import topics
from shared.kernel.events.envelope import EventPayload
from shared.kernel.events.payloads.common import USCC

CreditList = Literal["abnormal_operation", "serious_dishonesty"]  # 经营异常名录 / 严重违法失信名单


class MarketListingAdded(EventPayload):
    event_type: ClassVar[str] = "cn.samr.listing.added.v1"
    topic: ClassVar[str] = topics.EXT_MARKET_LISTING

    uscc: USCC
    list: CreditList
    starts_on: date
    ends_on: date | None = None
    reason: str | None = None


class MarketListingRemoved(EventPayload):
    event_type: ClassVar[str] = "cn.samr.listing.removed.v1"
    topic: ClassVar[str] = topics.EXT_MARKET_LISTING

    uscc: USCC
    list: CreditList
    starts_on: date
    ends_on: date | None = None
    reason: str | None = None


class TaxViolationRecorded(EventPayload):
    event_type: ClassVar[str] = "cn.tax.violation.recorded.v1"
    topic: ClassVar[str] = topics.EXT_TAX_CREDIT

    uscc: USCC
    kind: str
    decided_on: date


class IncidentRecorded(EventPayload):
    event_type: ClassVar[str] = "cn.gov.incident.recorded.v1"
    topic: ClassVar[str] = topics.EXT_INCIDENT

    uscc: USCC
    kind: Literal["safety", "quality", "environment", "research_misconduct"]
    occurred_on: date
