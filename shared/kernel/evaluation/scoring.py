"""Composite score of art. 7 (综合评价): personnel, R&D and achievements, full score 100.

Pure functions over the form's figures and `ScoringTables`, the policy's bands compiled
once per policy. Ratios are exact decimals and band tests cross-multiply
(`numerator ≥ bound × denominator`), so 30% scores 20 and never falls to 16 by rounding.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Context, Decimal

from shared.kernel.codes.achievements import IPKind
from shared.kernel.evaluation.form import Finance, IPItem, Personnel, RdRatioChoice
from shared.kernel.evaluation.result import (
    AchievementScore,
    ConditionResult,
    PersonnelScore,
    RdScore,
)
from shared.kernel.money import RATIO_PLACES
from shared.kernel.policy.scoring_rules import CountBand, IPClass, ScoreBand, ScoringPolicy

# Wide enough that bound × denominator is exact for any policy bound and any form figure.
_EXACT = Context(prec=80)
_ZERO = Decimal(0)


def _shown_ratio(numerator: Decimal, denominator: Decimal) -> Decimal:
    # Truncated, not rounded: a shown 0.3000 must have reached the 30% band.
    return _EXACT.divide(numerator, denominator).quantize(RATIO_PLACES, rounding=ROUND_DOWN)


@dataclass(frozen=True, slots=True)
class RatioBandTable:
    """Ratio bands, highest lower bound first."""

    bands: tuple[tuple[Decimal, int], ...]

    @classmethod
    def from_policy(cls, bands: Iterable[ScoreBand]) -> RatioBandTable:
        return cls(tuple(sorted(((b.at_least, b.points) for b in bands), reverse=True)))

    def points(self, numerator: Decimal, denominator: Decimal) -> int:
        """Points of numerator ÷ denominator (denominator > 0)."""
        for bound, points in self.bands:
            # art. 7: every band includes its lower bound.
            if numerator >= _EXACT.multiply(bound, denominator):
                return points
        return 0

    @property
    def attainable(self) -> frozenset[int]:
        return frozenset({0, *(p for _, p in self.bands)})


@dataclass(frozen=True, slots=True)
class CountBandTable:
    """Class II count bands, highest count first."""

    bands: tuple[tuple[int, int], ...]

    @classmethod
    def from_policy(cls, bands: Iterable[CountBand]) -> CountBandTable:
        return cls(tuple(sorted(((b.at_least, b.points) for b in bands), reverse=True)))

    def points(self, count: int) -> int:
        return next((points for at_least, points in self.bands if count >= at_least), 0)


@dataclass(frozen=True, slots=True)
class ScoringTables:
    """The scoring part of a policy, compiled for fast repeated use."""

    personnel: RatioBandTable
    rd_sales: RatioBandTable
    rd_cost: RatioBandTable
    class1_points: int
    class2: CountBandTable
    ip_classes: dict[IPKind, IPClass]
    pass_score: int
    personnel_points_required: bool

    @classmethod
    def from_policy(cls, scoring: ScoringPolicy) -> ScoringTables:
        return cls(
            personnel=RatioBandTable.from_policy(scoring.personnel_bands),
            rd_sales=RatioBandTable.from_policy(scoring.rd_sales_bands),
            rd_cost=RatioBandTable.from_policy(scoring.rd_cost_bands),
            class1_points=scoring.achievements.class1_points,
            class2=CountBandTable.from_policy(scoring.achievements.class2_bands),
            ip_classes=dict(scoring.ip_classes),
            pass_score=scoring.pass_score,
            personnel_points_required=scoring.personnel_points_required,
        )

    def reachable_totals(self) -> frozenset[int]:
        """Every total a form can score under these tables."""
        achievements = {0, self.class1_points, *(p for _, p in self.class2.bands)}
        rd = self.rd_sales.attainable | self.rd_cost.attainable
        return frozenset(
            p + r + a for p in self.personnel.attainable for r in rd for a in achievements
        )


def score_personnel(personnel: Personnel, tables: ScoringTables) -> PersonnelScore:
    """art. 7(1): S&T personnel ÷ total employees; no employees → no ratio, 0 points."""
    if personnel.employees_total == 0:
        return PersonnelScore(ratio=None, points=0)
    st, total = Decimal(personnel.st_personnel), Decimal(personnel.employees_total)
    return PersonnelScore(ratio=_shown_ratio(st, total), points=tables.personnel.points(st, total))


_RATIO_LABEL = {
    RdRatioChoice.SALES: ("研发费用占销售收入比例", "R&D expense / sales revenue"),
    RdRatioChoice.COST: ("研发费用占成本费用总额比例", "R&D expense / total cost and expense"),
}
_DENOMINATOR_LABEL = {
    RdRatioChoice.SALES: ("销售收入", "sales revenue"),
    RdRatioChoice.COST: ("成本费用总额", "total cost and expense"),
}


def _notice(code: str, zh: str, en: str) -> ConditionResult:
    return ConditionResult(code=code, passed=False, message=zh, message_en=en, group="notice")


def score_rd(
    finance: Finance, choice: RdRatioChoice | None, tables: ScoringTables
) -> tuple[RdScore, ConditionResult | None]:
    """art. 7(2): the enterprise's chosen ratio, or the better one (a tie takes sales).

    A ratio with a zero denominator cannot be used (zero sales → only the cost ratio);
    when the chosen one cannot be used, the other is, with a notice saying why.
    """
    rd = finance.rd_expense_total
    points: dict[RdRatioChoice, int] = {}
    if finance.sales_revenue > _ZERO:
        points[RdRatioChoice.SALES] = tables.rd_sales.points(rd, finance.sales_revenue)
    if finance.cost_expense_total > _ZERO:
        points[RdRatioChoice.COST] = tables.rd_cost.points(rd, finance.cost_expense_total)
    ratio_sales = _shown_ratio(rd, finance.sales_revenue) if RdRatioChoice.SALES in points else None
    ratio_cost = (
        _shown_ratio(rd, finance.cost_expense_total) if RdRatioChoice.COST in points else None
    )

    notice = None
    if not points:
        chosen = None
        notice = _notice(
            "rd_ratio_choice",
            "销售收入和成本费用总额均为零，无法计算研发投入比例，研发投入指标得0分",
            "Sales revenue and total cost and expense are both zero: no R&D ratio can be "
            "computed, the R&D indicator scores 0",
        )
    elif choice is None:
        # On equal points the sales ratio wins (domain.md §3: "tie → sales").
        chosen = max(points, key=lambda c: (points[c], c is RdRatioChoice.SALES))
    elif choice in points:
        chosen = choice
    else:
        (chosen,) = points
        zh_den, en_den = _DENOMINATOR_LABEL[choice]
        zh_used, en_used = _RATIO_LABEL[chosen]
        notice = _notice(
            "rd_ratio_choice",
            f"{zh_den}为零，无法采用所选比例，改按{zh_used}计分",
            f"The {en_den} is zero, so the chosen ratio cannot be used; scored on {en_used}",
        )
    score = RdScore(
        ratio_sales=ratio_sales,
        ratio_cost=ratio_cost,
        chosen=chosen.value if chosen is not None else None,
        points=points[chosen] if chosen is not None else 0,
    )
    return score, notice


def ip_counts_on(item: IPItem, on: date) -> tuple[bool, str, str]:
    """art. 7(3): counted only if valid on the evaluation date, related and undisputed.

    Returns whether it counts, and why not (Chinese, English) when it does not.
    """
    if item.granted_on > on:
        return False, f"授权日{item.granted_on}晚于评价日", f"granted {item.granted_on}, after"
    if item.valid_until is not None and item.valid_until < on:
        return False, f"已于{item.valid_until}失效", f"expired {item.valid_until}"
    if not item.related_to_main_product:
        return False, "与主要产品（服务）无关", "not related to the main products"
    if item.disputed:
        return False, "存在权属争议", "disputed"
    return True, "", ""


_LISTED_AT_MOST = 10


def score_achievements(
    items: Iterable[IPItem], on: date, tables: ScoringTables
) -> tuple[AchievementScore, ConditionResult | None]:
    """art. 7(3): any Class I → class1 points; otherwise the Class II count band.

    The same IP number listed twice counts once. Trademarks and other kinds never count.
    """
    class1: set[str] = set()
    class2: set[str] = set()
    not_counted: list[tuple[str, str, str]] = []
    for item in items:
        ip_class = tables.ip_classes[item.kind]
        if ip_class is IPClass.NONE:
            continue
        counts, why, why_en = ip_counts_on(item, on)
        if not counts:
            not_counted.append((item.number, why, why_en))
            continue
        (class1 if ip_class is IPClass.CLASS1 else class2).add(item.number.upper())

    points = tables.class1_points if class1 else tables.class2.points(len(class2))
    score = AchievementScore(class1=len(class1), class2=len(class2), points=points)
    if not not_counted:
        return score, None
    shown = not_counted[:_LISTED_AT_MOST]
    more = len(not_counted) - len(shown)
    zh = "；".join(f"{n}（{w}）" for n, w, _ in shown) + (f"；另{more}项" if more else "")
    en = "; ".join(f"{n} ({w})" for n, _, w in shown) + (f"; {more} more" if more else "")
    notice = _notice(
        "ip_not_counted",
        f"以下知识产权在评价日{on}不计分：{zh}",
        f"IP not counted on the evaluation date {on}: {en}",
    )
    return score, notice


def score_passes(total: int, personnel: PersonnelScore, tables: ScoringTables) -> bool:
    """art. 7: total ≥ pass score and (by default) a personnel score above 0."""
    personnel_ok = personnel.points > 0 or not tables.personnel_points_required
    return total >= tables.pass_score and personnel_ok
