"""Every event type of the contract, by type name (one registry for producers and consumers)."""

from __future__ import annotations

from shared.kernel.events.envelope import EventPayload
from shared.kernel.events.payloads.external import (
    IncidentRecorded,
    MarketListingAdded,
    MarketListingRemoved,
    TaxViolationRecorded,
)
from shared.kernel.events.payloads.intake import (
    ApplicationClosed,
    ApplicationSubmitted,
    ApplicationWithdrawn,
    PolicyUpdated,
)
from shared.kernel.events.payloads.review import (
    PublicityAnnounced,
    PublicityStarted,
    RegistrationChanged,
    RegistrationIssued,
    RegistrationRevoked,
    ReviewCaseClosed,
    ReviewCaseOpened,
    ReviewDecided,
    SpotCheckFailed,
)
from shared.kernel.events.payloads.supervision import (
    CaseAccepted,
    CaseConcluded,
    CaseFiled,
    CreditRecorded,
    RevocationDecided,
    RevocationNotified,
)
from shared.kernel.events.payloads.tracking import QuarterlyReportOverdue, QuarterlyReportSubmitted

EVENT_TYPES: tuple[type[EventPayload], ...] = (
    PolicyUpdated,
    ApplicationSubmitted,
    ApplicationWithdrawn,
    ApplicationClosed,
    ReviewCaseOpened,
    ReviewDecided,
    ReviewCaseClosed,
    SpotCheckFailed,
    PublicityStarted,
    PublicityAnnounced,
    RegistrationIssued,
    RegistrationRevoked,
    RegistrationChanged,
    CaseFiled,
    CaseAccepted,
    CaseConcluded,
    RevocationNotified,
    RevocationDecided,
    CreditRecorded,
    QuarterlyReportSubmitted,
    QuarterlyReportOverdue,
    MarketListingAdded,
    MarketListingRemoved,
    TaxViolationRecorded,
    IncidentRecorded,
)

BY_TYPE: dict[str, type[EventPayload]] = {cls.event_type: cls for cls in EVENT_TYPES}


def payload_class(event_type: str) -> type[EventPayload] | None:
    return BY_TYPE.get(event_type)
