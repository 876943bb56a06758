"""Value types of the policy file: exact decimals that travel as strings.

A policy is edited by people (YAML) and round-trips through the API (JSON), so every
threshold that is a ratio or a factor is a `Decimal` written as a string ("0.30"), never
a float: 30% has to be exactly 0.30 for art. 7's "lower bound inclusive" to hold.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

# Every section of the policy is immutable and refuses unknown keys, so a typo in a yearly
# file ("pass_scroe") is an error at start-up instead of a silently ignored setting.
POLICY_SECTION = ConfigDict(frozen=True, extra="forbid")


class PolicySection(BaseModel):
    model_config = POLICY_SECTION


def _decimal_text(value: Decimal) -> str:
    return str(value)


# A share of something, 0 ≤ x ≤ 1 (staff ratio, R&D intensity, sample ratio).
UnitRatio = Annotated[
    Decimal,
    Field(ge=0, le=1, allow_inf_nan=False),
    PlainSerializer(_decimal_text, return_type=str, when_used="json"),
]

# A multiplier or growth rate that may exceed 1 (a jump factor, revenue growth; growth may
# be negative down to −100%).
Factor = Annotated[
    Decimal,
    Field(ge=-1, allow_inf_nan=False),
    PlainSerializer(_decimal_text, return_type=str, when_used="json"),
]

# Points of a score band (art. 7 awards whole points).
Points = Annotated[int, Field(ge=0, le=100)]

# A count of working or calendar days in a deadline.
Days = Annotated[int, Field(ge=1, le=366)]
