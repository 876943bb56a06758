"""Tier figures of a year's registered enterprises in ONE SQL statement (tracking.domain.tiers).

The cohort: registrations of the evaluation year that are not revoked. For each enterprise,
its most recent reports up to the year's Q4 (at most `window` of them) give the R&D
intensity and the revenue growth; the policy's ordered tier rules become a CASE expression,
so a tier can be filtered on and the list paginated in SQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Numeric, and_, case, cast, func, literal, select, true
from sqlalchemy.dialects.postgresql import aggregate_order_by, distinct_on

from shared.kernel.policy.tracking_rules import TrackingPolicy
from shared.platform.auth.jurisdiction import Jurisdiction
from shared.platform.auth.principal import Principal
from tracking.adapters.obligations import quarter_index_of
from tracking.adapters.tables import QuarterlyReportRow, RegistrationRow
from tracking.domain.tiers import FIGURE_PLACES, ranked_tiers

reg = RegistrationRow.__table__
rep = QuarterlyReportRow.__table__


def _tier_rank(tracking: TrackingPolicy, rd: Any, growth: Any) -> Any:
    """First matching tier's rank; `NULL >= x` is not true, so an unknown figure never
    meets a threshold (as `TierRule.matches`)."""
    whens = []
    tiers = ranked_tiers(tracking)
    for tier in tiers[:-1]:
        conditions = []
        if tier.rule.min_rd_intensity is not None:
            conditions.append(rd >= tier.rule.min_rd_intensity)
        if tier.rule.min_revenue_growth is not None:
            conditions.append(growth >= tier.rule.min_revenue_growth)
        whens.append((and_(true(), *conditions), literal(tier.rank)))
    return case(*whens, else_=literal(tiers[-1].rank)) if whens else literal(tiers[-1].rank)


def tiers_query(principal: Principal, year: int, tracking: TrackingPolicy, window: int) -> Any:
    cohort = (
        select(
            reg.c.uscc,
            reg.c.number,
            reg.c.agency,
            reg.c.region_code,
            reg.c.industry_code,
            reg.c.enterprise_name,
        )
        .where(
            reg.c.year == year,
            reg.c.revoked_on.is_(None),
            reg.c.agency.is_not(None),
            Jurisdiction(agency=reg.c.agency, uscc=reg.c.uscc).where(principal),
        )
        .ext(distinct_on(reg.c.uscc))
        .order_by(reg.c.uscc, reg.c.registered_on.desc())
        .cte("cohort")
    )
    qi = quarter_index_of(rep)
    recent = (
        select(
            rep.c.uscc,
            qi.label("qi"),
            rep.c.operating_revenue,
            rep.c.rd_expense,
            func.row_number().over(partition_by=rep.c.uscc, order_by=qi.desc()).label("rn"),
        )
        .where(rep.c.uscc.in_(select(cohort.c.uscc)), qi <= year * 4 + 3)
        .cte("recent")
    )
    w = (
        select(
            recent.c.uscc,
            func.count().label("quarters"),
            func.min(recent.c.qi).label("first_qi"),
            func.max(recent.c.qi).label("last_qi"),
            func.sum(recent.c.rd_expense).label("rd_expense"),
            func.sum(recent.c.operating_revenue).label("operating_revenue"),
            func.array_agg(aggregate_order_by(recent.c.operating_revenue, recent.c.qi.asc()))[
                1
            ].label("earliest_revenue"),
            func.array_agg(aggregate_order_by(recent.c.operating_revenue, recent.c.qi.desc()))[
                1
            ].label("latest_revenue"),
        )
        .where(recent.c.rn <= window)
        .group_by(recent.c.uscc)
        .cte("figures_window")
    )
    rd_intensity = case(
        (
            w.c.operating_revenue > 0,
            func.round(cast(w.c.rd_expense, Numeric) / w.c.operating_revenue, FIGURE_PLACES),
        ),
        else_=None,
    )
    growth = case(
        (
            and_(w.c.quarters >= 2, w.c.earliest_revenue > 0),
            func.round(cast(w.c.latest_revenue, Numeric) / w.c.earliest_revenue - 1, FIGURE_PLACES),
        ),
        else_=None,
    )
    figures = (
        select(
            cohort,
            func.coalesce(w.c.quarters, 0).label("quarters"),
            w.c.first_qi,
            w.c.last_qi,
            w.c.rd_expense,
            w.c.operating_revenue,
            w.c.earliest_revenue,
            w.c.latest_revenue,
            rd_intensity.label("rd_intensity"),
            growth.label("revenue_growth"),
        )
        .select_from(cohort.outerjoin(w, w.c.uscc == cohort.c.uscc))
        .subquery("figures")
    )
    f = figures.c
    return select(
        figures, _tier_rank(tracking, f.rd_intensity, f.revenue_growth).label("tier_rank")
    ).subquery("tiered")
