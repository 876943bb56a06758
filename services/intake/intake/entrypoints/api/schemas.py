"""Response shapes of the intake API (contract.md "Resources": application)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from intake.adapters.tables import ApplicationRow, TimelineRow


class TimelineEntry(BaseModel):
    at: datetime
    status: str
    reason: str | None = None


class ApplicationOut(BaseModel):
    id: str
    year: int
    uscc: str
    agency: str
    status: str
    form: dict[str, Any]
    self_evaluation: dict[str, Any]
    registration_number: str | None = None
    timeline: list[TimelineEntry] = []

    @classmethod
    def of(cls, row: ApplicationRow, timeline: list[TimelineRow] | None = None) -> ApplicationOut:
        return cls(
            id=str(row.id),
            year=row.year,
            uscc=row.uscc,
            agency=row.agency,
            status=row.status,
            form=row.form,
            self_evaluation=row.self_evaluation,
            registration_number=row.registration_number,
            timeline=[
                TimelineEntry(at=t.at, status=t.status, reason=t.reason) for t in timeline or []
            ],
        )
