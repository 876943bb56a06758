"""What a step of a review case writes, the same in PostgreSQL and in memory: the status
moved through `domain.status.move_case` first (a refused move changes nothing), the
step's own fields, and one history entry. The two `Cases` implementations differ only in
where the history entry goes."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime

from review.adapters.tables import ReviewCaseRow
from review.domain import onsite
from review.domain.status import CaseStatus, move_case


class CaseSteps(ABC):
    @abstractmethod
    def _history(
        self,
        case: ReviewCaseRow,
        action: str,
        at: datetime,
        *,
        actor: str | None,
        reason: str | None,
    ) -> None:
        """Store one history entry with the case's (new) status."""

    def move(
        self,
        case: ReviewCaseRow,
        status: CaseStatus,
        at: datetime,
        action: str,
        *,
        actor: str | None,
        reason: str | None = None,
    ) -> None:
        case.status = move_case(CaseStatus(case.status), status).value
        case.updated_at = at
        self._history(case, action, at, actor=actor, reason=reason)

    def note(
        self,
        case: ReviewCaseRow,
        action: str,
        at: datetime,
        *,
        actor: str | None,
        reason: str | None = None,
    ) -> None:
        """A step that leaves the status as it is (e.g. its registration revoked)."""
        self._history(case, action, at, actor=actor, reason=reason)

    def record_onsite(
        self, case: ReviewCaseRow, result: str, notes: str | None, *, by: str, at: datetime
    ) -> None:
        assessed = onsite.status_for(case.onsite_triggers, result)
        case.status = move_case(CaseStatus(case.status), assessed).value
        case.onsite_result = result
        case.onsite_notes = notes
        case.onsite_recorded_at = at
        case.onsite_recorded_by = by
        case.updated_at = at
        self._history(case, f"onsite_{result}", at, actor=by, reason=notes)

    def record_decision(
        self,
        case: ReviewCaseRow,
        status: CaseStatus,
        decision: str,
        reason: str | None,
        *,
        by: str,
        at: datetime,
        action: str,
    ) -> None:
        case.status = move_case(CaseStatus(case.status), status).value
        case.decision = decision
        case.decision_reason = reason
        case.decided_at = at
        case.decided_by = by
        case.updated_at = at
        self._history(case, action, at, actor=by, reason=reason)
