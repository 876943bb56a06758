"""When an objection (异议) may be filed: inside the batch's publicity period (domain.md §5.5).

Review computes the period on the official calendar and publishes it with the batch
(`cn.sme.publicity.started.v1`: `starts_on`, `ends_on`; `ends_on` is the last of the
policy's N working days, counted from the working day after `starts_on` by default).
Supervision takes those dates as given and decides, precisely:

- **Both ends count.** The list is public from `starts_on`, the day it is published, so an
  objection that day is admitted even though, by default, the N working days are counted
  from the next working day; `ends_on` is the last day of the period and is admitted too.
- **Every calendar day in between counts**, weekends and statutory holidays included: the
  period is a span of dates whose *length* is measured in working days; the public can
  file on a holiday inside the span (the deadlines for handling the case are what run in
  working days).
- The day after `ends_on` is late; a day before `starts_on` is too early.
- "Today" is the date in China (Asia/Shanghai), never the UTC date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from supervision.domain.errors import ObjectionWindowClosed, ObjectionWindowNotOpen


@dataclass(frozen=True, slots=True)
class PublicityPeriod:
    starts_on: date
    ends_on: date

    def admits(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def check_objection_on(self, day: date) -> None:
        """Raise why an objection filed on `day` (China date) is refused, if it is."""
        if day < self.starts_on:
            raise ObjectionWindowNotOpen(self.starts_on.isoformat())
        if day > self.ends_on:
            raise ObjectionWindowClosed(self.ends_on.isoformat())
