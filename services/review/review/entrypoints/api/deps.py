"""Role aliases that keep route signatures short (declared once in shared.platform.web.params)."""

from __future__ import annotations

from shared.platform.web.params import Agency, Province, Verifier
from shared.platform.web.params import Staff as Reviewer

__all__ = ["Agency", "Province", "Reviewer", "Verifier"]
