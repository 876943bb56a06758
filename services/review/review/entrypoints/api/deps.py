"""Role aliases that keep route signatures short (declared once in shared.web.params)."""

from __future__ import annotations

from shared.web.params import Agency, Province, Verifier
from shared.web.params import Staff as Reviewer

__all__ = ["Agency", "Province", "Reviewer", "Verifier"]
