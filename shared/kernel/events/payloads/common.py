"""Small value types shared by several payloads."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from shared.kernel.codes.uscc import USCC_PATTERN
from shared.kernel.policy.model import EARLIEST_YEAR, LATEST_YEAR

USCC = Annotated[
    str, Field(pattern=USCC_PATTERN, description="Unified social credit code (GB 32100-2015)")
]
EvaluationYear = Annotated[int, Field(ge=EARLIEST_YEAR, le=LATEST_YEAR)]
Quarter = Annotated[int, Field(ge=1, le=4)]
