"""On-site check (现场核查, domain.md §6): required when a policy trigger matches; the agency
records the result before it may approve."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from review.domain.status import CaseStatus
from shared.kernel.evaluation.onsite import ONSITE_TRIGGER_MESSAGES

PASSED = "passed"
FAILED = "failed"


def result_after_resubmission(triggers: Sequence[str], previous: str | None) -> str | None:
    """A passed check still stands for a corrected form; a failed or missing one is due again."""
    return previous if triggers and previous == PASSED else None


def status_for(triggers: Sequence[str], result: str | None) -> CaseStatus:
    return CaseStatus.ONSITE_REQUIRED if triggers and result is None else CaseStatus.PENDING


def describe(triggers: Sequence[str]) -> list[dict[str, Any]]:
    return [
        {
            "code": code,
            "message": ONSITE_TRIGGER_MESSAGES.get(code, (code, code))[0],
            "message_en": ONSITE_TRIGGER_MESSAGES.get(code, (code, code))[1],
        }
        for code in triggers
    ]
