"""The yearly policy a supervision rule applies.

A case is handled under the policy of its year (the batch's evaluation year for an
objection, the year of receipt otherwise). A year the policy files do not know yet (e.g.
January, before the province enters the new year) falls back to the newest year that is
known, so filing never fails on a missing file; the fallback is logged.
"""

from __future__ import annotations

import logging

from shared.kernel.policy.model import Policy
from shared.platform.policies.store import PolicyStore, UnknownPolicyYear

log = logging.getLogger("supervision.policy")


async def policy_for(policies: PolicyStore, year: int) -> Policy:
    try:
        return await policies.get(year)
    except UnknownPolicyYear:
        known = policies.years()
        earlier = [y for y in known if y <= year]
        fallback = max(earlier) if earlier else min(known)
        log.warning(
            "no policy for %d; using %d", year, fallback, extra={"year": year, "used": fallback}
        )
        return await policies.get(fallback)
