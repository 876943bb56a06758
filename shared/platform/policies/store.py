"""The effective policy of each evaluation year, in a running service.

Shipped yearly files are version 1. The province's changes (PUT /policy/{year} on intake)
are stored as new versions in each service's own `policy_version` table — intake writes
them, the others receive `cn.sme.policy.updated.v1`. The newest version wins.

Reads are served from memory: the cache is loaded at start-up, updated when this process
stores a version, and refreshed by a periodic job (every `refresh_interval` seconds) for
versions another replica stored — a request never pays a query for it.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.kernel.calendar import WorkingDayCalendar, schedules_from_mapping
from shared.kernel.errors import NotFound
from shared.kernel.policy.loader import policy_from_document, shipped_policy, shipped_years
from shared.kernel.policy.model import Policy
from shared.platform.db import policy_versions
from shared.platform.db.engine import Database
from shared.platform.db.metadata import policy_version

log = logging.getLogger("shared.platform.policies.store")


class UnknownPolicyYear(NotFound):
    code = "policy_year_unknown"
    message = "该评价年度没有政策配置"
    message_en = "There is no policy for that evaluation year"


class PolicyStore:
    def __init__(self, db: Database, *, refresh_interval: float = 5.0) -> None:
        self._db = db
        self.refresh_interval = refresh_interval
        self._stored: dict[int, Policy] = {}
        self._calendar: WorkingDayCalendar | None = None
        self._calendar_key: tuple[tuple[int, int], ...] = ()

    async def load(self) -> None:
        """Read the newest stored version of every year (start-up, then on expiry)."""
        latest = (
            select(policy_version.c.year, func.max(policy_version.c.version).label("version"))
            .group_by(policy_version.c.year)
            .subquery()
        )
        stmt = select(policy_version.c.document).join(
            latest,
            (policy_version.c.year == latest.c.year)
            & (policy_version.c.version == latest.c.version),
        )
        async with self._db.sessions() as session:
            documents = (await session.execute(stmt)).scalars().all()
        loaded = {p.year: p for p in (policy_from_document(d) for d in documents)}
        # Merge, never replace: a version this process remembered after the query began
        # must not be overwritten by the older one the query saw.
        for year, policy in loaded.items():
            current = self._stored.get(year)
            if current is None or current.version < policy.version:
                self._stored[year] = policy

    async def refresh(self) -> None:
        """Periodic job: pick up versions another replica stored (never inside a request)."""
        try:
            await self.load()
        except Exception:  # serve the last known policies meanwhile
            log.warning("policy refresh failed; using cached versions", exc_info=True)

    async def get(self, year: int) -> Policy:
        return self.cached(year)

    def cached(self, year: int) -> Policy:
        """The newest version known here: stored (PUT /policy) or shipped (the YAML file)."""
        stored = self._stored.get(year)
        try:
            shipped = shipped_policy(year)
        except LookupError as exc:
            if stored is None:
                raise UnknownPolicyYear() from exc
            return stored
        return stored if stored is not None and stored.version >= shipped.version else shipped

    def years(self) -> list[int]:
        return sorted(set(shipped_years()) | set(self._stored))

    async def calendar(self) -> WorkingDayCalendar:
        """The working-day calendar with every administrator-entered schedule known here.

        One instance per set of policy versions, so its per-year tables and its
        once-per-year "provisional" warning are not rebuilt per request.
        """
        policies = [self.cached(y) for y in self.years()]
        key = tuple((p.year, p.version) for p in policies)
        if self._calendar is None or key != self._calendar_key:
            mapping: dict[Any, Any] = {}
            for policy in policies:  # a later evaluation year's entry wins for the same year
                mapping.update(policy.calendar_document())
            self._calendar = WorkingDayCalendar(schedules_from_mapping(mapping))
            self._calendar_key = key
        return self._calendar

    async def store_version(
        self, session: AsyncSession, policy: Policy, *, created_by: str | None
    ) -> None:
        """Keep a received or newly made version (idempotent for redelivered events)."""
        await policy_versions.keep(session, policy, created_by=created_by)

    async def next_version(self, session: AsyncSession, year: int) -> int:
        return await policy_versions.next_version(session, year)

    def remember(self, policy: Policy) -> None:
        """Make a version visible in this process at once (after its transaction committed)."""
        existing = self._stored.get(policy.year)
        if existing is None or existing.version <= policy.version:
            self._stored[policy.year] = policy
