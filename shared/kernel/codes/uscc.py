"""Unified social credit code (统一社会信用代码), GB 32100-2015 (domain.md §9).

A malformed code is refused; a checksum mismatch is only a warning because some
genuine early codes fail it (domain.md §6).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# GB 32100-2015 character set: digits and upper-case letters without I, O, S, V, Z.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# The same rule as a JSON Schema / OpenAPI `pattern`: every schema and parameter uses this one.
USCC_PATTERN = f"^[{ALPHABET}]{{18}}$"
_PATTERN = re.compile(USCC_PATTERN)


class MalformedUSCC(ValueError):
    """Not 18 characters of the GB 32100 alphabet."""


@dataclass(frozen=True, slots=True)
class USCCCheck:
    code: str
    checksum_ok: bool

    @property
    def region_code(self) -> str:
        """Positions 3-8: the registering authority's administrative region code."""
        return self.code[2:8]


def check_digit(first17: str) -> str:
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    value = 31 - total % 31
    return ALPHABET[0 if value == 31 else value]


def is_well_formed(code: str) -> bool:
    return bool(_PATTERN.match(code))


def check_uscc(code: str) -> USCCCheck:
    """Validate the format (raises `MalformedUSCC`) and report whether the checksum matches."""
    if not is_well_formed(code):
        raise MalformedUSCC(code)
    return USCCCheck(code=code, checksum_ok=check_digit(code[:17]) == code[17])


def with_check_digit(first17: str) -> str:
    """Complete 17 characters into a valid code (test data, samples)."""
    if len(first17) != 17 or not is_well_formed(first17 + "0"):
        raise MalformedUSCC(first17)
    return first17 + check_digit(first17)
