"""Who may call what (403 for other roles; jurisdiction is applied in SQL, views.py).

The role sets and the year and USCC parameters are declared once in shared.platform.web.params.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from shared.platform.web.params import Enterprise, Province, Reader, year_query
from shared.platform.web.params import OptionalUsccQuery as USCCQuery
from shared.platform.web.params import OptionalYearQuery as OptionalYear
from shared.platform.web.params import Staff as Bureau

__all__ = [
    "Bureau",
    "Enterprise",
    "OptionalQuarter",
    "OptionalYear",
    "Province",
    "Reader",
    "USCCQuery",
    "YearQuery",
]

YearQuery = Annotated[int, year_query("calendar year of the quarter")]
OptionalQuarter = Annotated[int | None, Query(ge=1, le=4)]
