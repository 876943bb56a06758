"""Money and ratio types for the wire: exact decimals, never floats.

Contract: money in yuan as decimal strings with at most two decimals ("12000000.00");
plain JSON numbers are accepted on input.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import Field, PlainSerializer

CENT = Decimal("0.01")
RATIO_PLACES = Decimal("0.0001")


def money_str(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def ratio_str(value: Decimal) -> str:
    """Ratios are shown with four decimals; scoring always uses the exact value."""
    return str(value.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP))


# Non-negative money; at most 2 decimals and 13 integer digits (a trillion yuan is implausible
# for an SME but bounded input keeps Decimal arithmetic cheap and storage predictable).
Money = Annotated[
    Decimal,
    Field(ge=0, max_digits=15, decimal_places=2, allow_inf_nan=False),
    PlainSerializer(money_str, return_type=str, when_used="json"),
]

# Signed money (profit may be negative).
SignedMoney = Annotated[
    Decimal,
    Field(max_digits=15, decimal_places=2, allow_inf_nan=False),
    PlainSerializer(money_str, return_type=str, when_used="json"),
]

Ratio = Annotated[Decimal, PlainSerializer(ratio_str, return_type=str, when_used="json")]
