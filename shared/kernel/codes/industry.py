"""National economic industry classification (国民经济行业分类), GB/T 4754-2017."""

from __future__ import annotations

# A section letter, optionally 2-4 digits (division, group, class).
INDUSTRY_PATTERN = r"^[A-T](\d{2}|\d{3}|\d{4})?$"
