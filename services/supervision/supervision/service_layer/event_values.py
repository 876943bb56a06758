"""Narrow values read back from our own tables to the literal types of the event payloads."""

from __future__ import annotations

from typing import cast

from shared.kernel.events.payloads.supervision import CaseKind, RevocationGround
from supervision.domain.cases import CaseKind as DomainCaseKind
from supervision.domain.revocation import GROUNDS


def event_kind(value: str) -> CaseKind:
    checked: str = DomainCaseKind(value).value  # raises on a value we never store
    return cast(CaseKind, checked)


def event_ground(value: str) -> RevocationGround:
    if value not in GROUNDS:
        raise ValueError(f"unknown revocation ground {value!r}")
    return cast(RevocationGround, value)
