"""Application status machine (contract.md "Application status").

draft → submitted → under_review → returned | approved | rejected;
approved → in_publicity → registered | rejected; registered → revoked;
withdrawn from draft, submitted, under_review, returned; `closed` from anything not yet
registered or ended when its year closes (contract § Round 2 "Year close").
A returned application is edited and submitted again (returned → submitted).

Two kinds of change move an application:
- the enterprise's commands (submit, withdraw) and the year close, checked against
  `TRANSITIONS`;
- other services' events (review opened / decided, publicity started, registration issued /
  revoked), checked against `EVENT_SOURCES` (`event_may_move`). Events of different topics can
  arrive out of order (an approval on `sme.review.v1` after the publicity on
  `sme.publicity.v1`), so an event moves the application only forward: a late event that
  would move it back changes nothing.

Every status write goes through `move()` (one row) or `move_set()` (a set-based batch), which
refuse a move the tables do not allow with `IllegalTransition` (409).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from shared.kernel.errors import Conflict


class ApplicationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    RETURNED = "returned"
    APPROVED = "approved"
    REJECTED = "rejected"
    IN_PUBLICITY = "in_publicity"
    REGISTERED = "registered"
    REVOKED = "revoked"
    WITHDRAWN = "withdrawn"
    # contract § Round 2 "Year close": the year closed before the application was registered.
    CLOSED = "closed"


S = ApplicationStatus

TRANSITIONS: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN, S.CLOSED}),
    S.SUBMITTED: frozenset(
        {S.UNDER_REVIEW, S.WITHDRAWN, S.RETURNED, S.APPROVED, S.REJECTED, S.CLOSED}
    ),
    S.UNDER_REVIEW: frozenset({S.RETURNED, S.APPROVED, S.REJECTED, S.WITHDRAWN, S.CLOSED}),
    S.RETURNED: frozenset({S.SUBMITTED, S.WITHDRAWN, S.CLOSED}),
    S.APPROVED: frozenset({S.IN_PUBLICITY, S.REGISTERED, S.REJECTED, S.CLOSED}),
    S.IN_PUBLICITY: frozenset({S.REGISTERED, S.REJECTED, S.CLOSED}),
    S.REGISTERED: frozenset({S.REVOKED}),
    S.REJECTED: frozenset(),
    S.REVOKED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.CLOSED: frozenset(),
}

# The enterprise may replace the form only before submission or after a return (§5.3).
EDITABLE = frozenset({S.DRAFT, S.RETURNED})
SUBMITTABLE = EDITABLE
# "It may withdraw before a decision" (§5.2): a returned application has no final decision.
WITHDRAWABLE = frozenset({S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED})
# Ended applications no longer count as the enterprise's live application of the year
# (§5.2 "one live application per enterprise per year"). A revoked registration also bars
# a new application that year, which `intake.domain.applying` checks separately.
ENDED = frozenset({S.WITHDRAWN, S.REJECTED, S.REVOKED})
LIVE = frozenset(ApplicationStatus) - ENDED

# The status another service's event reports → the statuses it may replace. Each source is
# one that the reported status can follow in `TRANSITIONS` (possibly skipping steps whose
# events are still in flight on another topic); anything else is later, or ended.
EVENT_SOURCES: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    S.UNDER_REVIEW: frozenset({S.SUBMITTED}),
    S.RETURNED: frozenset({S.SUBMITTED, S.UNDER_REVIEW}),
    S.APPROVED: frozenset({S.SUBMITTED, S.UNDER_REVIEW}),
    S.IN_PUBLICITY: frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.APPROVED}),
    S.REGISTERED: frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.APPROVED, S.IN_PUBLICITY}),
    # A held case rejected after an upheld objection (§5.6) is rejected from in_publicity.
    S.REJECTED: frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.APPROVED, S.IN_PUBLICITY}),
    S.REVOKED: frozenset({S.APPROVED, S.IN_PUBLICITY, S.REGISTERED}),
    # review closed the case at the year close: whatever was not registered.
    S.CLOSED: frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED, S.APPROVED, S.IN_PUBLICITY}),
}


class IllegalTransition(Conflict):
    code = "illegal_status_transition"


def can_move(current: ApplicationStatus, target: ApplicationStatus) -> bool:
    return target in TRANSITIONS[current]


def _illegal(current: ApplicationStatus, target: ApplicationStatus) -> IllegalTransition:
    return IllegalTransition(
        message=f"申请当前状态为 {current.value}，不能变为 {target.value}",
        message_en=f"an application in status {current.value} cannot become {target.value}",
    )


def ensure_can_move(current: ApplicationStatus, target: ApplicationStatus) -> None:
    if not can_move(current, target):
        raise _illegal(current, target)


@dataclass(frozen=True, slots=True)
class StatusMove:
    """A move the tables allow; the only thing a repository writes a status from."""

    source: ApplicationStatus
    target: ApplicationStatus


def move(
    current: ApplicationStatus, target: ApplicationStatus, *, by_event: bool = False
) -> StatusMove:
    """The one guard of the application's status: `TRANSITIONS` for commands and the year
    close, `EVENT_SOURCES` for another service's event (which may skip steps still in flight)."""
    allowed = event_may_move(current, target) if by_event else can_move(current, target)
    if not allowed:
        raise _illegal(current, target)
    return StatusMove(current, target)


def move_set(
    sources: Collection[ApplicationStatus], target: ApplicationStatus, *, by_event: bool = False
) -> frozenset[ApplicationStatus]:
    """Check a set-based batch once per (source, target) pair rather than per row: every
    row the batch may match is in one of `sources`, so this covers each row's move."""
    for source in sources:
        move(source, target, by_event=by_event)
    return frozenset(sources)


@dataclass(frozen=True)
class BatchMove:
    """A set-based move (every entry of a publicity batch, say): the applications of `year`
    named by id, or by USCC for entries without one, that are in one of `sources`, go to
    `target` at `at`, each with a timeline entry giving `reason`."""

    year: int
    application_ids: Collection[uuid.UUID]
    usccs: Collection[str]
    sources: Collection[ApplicationStatus]
    target: ApplicationStatus
    at: datetime
    reason: str | None
    by_event: bool = False

    def check(self) -> None:
        """`move_set` for the batch: the table is checked once, whatever its size."""
        move_set(self.sources, self.target, by_event=self.by_event)


@dataclass(frozen=True, slots=True)
class EventSubject:
    """What a run of events needs of an application it names: who it is and the status
    it was in when the run locked it (values read, not a loaded row to write back)."""

    id: uuid.UUID
    uscc: str
    year: int
    status: ApplicationStatus


@dataclass(frozen=True, slots=True)
class RegistrationMove:
    """An application registered by review's event (入库登记): `step`, from `move()`, to
    `registered` at `at`, with the number it was issued (also its timeline entry's reason)."""

    application_id: uuid.UUID
    step: StatusMove
    at: datetime
    number: str


def check_registration_run(moves: Sequence[RegistrationMove]) -> None:
    """What every writer of a run of registrations (`register_many`) relies on: moves to
    `registered` only, and each application at most once (one statement writes a row once:
    a second move would be decided on a status the row no longer has)."""
    if any(m.step.target is not ApplicationStatus.REGISTERED for m in moves):
        raise ValueError("register_many writes moves to registered only")
    if len({m.application_id for m in moves}) < len(moves):
        raise ValueError("register_many moves each application at most once")


def event_may_move(current: ApplicationStatus, reported: ApplicationStatus) -> bool:
    """Whether an event reporting `reported` moves an application now in `current`.

    False for a late event (the application is already further on) and for an ended
    application (withdrawn while the agency was deciding, say): never a step backwards.
    """
    return current in EVENT_SOURCES.get(reported, frozenset())


def sources_of(reported: ApplicationStatus) -> frozenset[ApplicationStatus]:
    return EVENT_SOURCES.get(reported, frozenset())
