"""Small value types shared by several payloads."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from shared.evaluation.form import USCC_PATTERN

USCC = Annotated[
    str, Field(pattern=USCC_PATTERN, description="Unified social credit code (GB 32100-2015)")
]
EvaluationYear = Annotated[int, Field(ge=2017, le=2100)]
Quarter = Annotated[int, Field(ge=1, le=4)]
