"""The needs section of a quarterly report (需求与诉求): what an enterprise asks its bureau for.

Optional; each entry is a category and free text. Bureaus see the entries counted by
category and region (`GET /tracking/needs`); the texts stay with the report, scoped like it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints


class NeedCategory(StrEnum):
    FINANCING = "financing"  # 融资
    TALENT = "talent"  # 人才
    TECHNOLOGY = "technology"  # 技术
    MARKET = "market"  # 市场
    POLICY = "policy"  # 政策


NEED_LABELS: dict[NeedCategory, tuple[str, str]] = {
    NeedCategory.FINANCING: ("融资需求", "Financing"),
    NeedCategory.TALENT: ("人才需求", "Talent"),
    NeedCategory.TECHNOLOGY: ("技术需求", "Technology"),
    NeedCategory.MARKET: ("市场需求", "Market"),
    NeedCategory.POLICY: ("政策诉求", "Policy"),
}

MAX_NEEDS = 10

NeedText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class Need(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    category: NeedCategory
    text: NeedText
