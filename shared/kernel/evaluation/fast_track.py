"""Fast-track (直通车, art. 8): any one valid claim makes the score irrelevant.

Each claim is checked against its evidence and the policy, and explains itself as a
condition whether it qualifies or not: an expired certificate is not a fast-track.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from shared.kernel.evaluation.form import (
    FastTrackClaim,
    HighTechCertificate,
    NationalAward,
    RdInstitution,
    Standard,
)
from shared.kernel.evaluation.result import ConditionResult, FastTrackResult
from shared.kernel.policy.fast_track_rules import FastTrackPolicy

# Problems of a claim: (Chinese, English).
_Problems = list[tuple[str, str]]

_KIND_NAMES = {
    "high_tech_certificate": ("高新技术企业证书", "high-tech enterprise certificate"),
    "national_award": ("国家级科技奖励", "national S&T award"),
    "rd_institution": ("省部级以上研发机构", "provincial/ministerial or higher R&D institution"),
    "standard": ("主导制定标准", "leading the drafting of a standard"),
}
_LEVEL_NAMES = {
    "national": ("国家级", "national"),
    "provincial": ("省级", "provincial"),
    "ministerial": ("部级", "ministerial"),
    "international": ("国际", "international"),
    "industry": ("行业", "industry"),
}
_ROLE_NAMES = {"lead": ("主导（牵头）", "lead"), "participant": ("参与", "participant")}


def _in_lookback(year: int, evaluation_year: int, lookback_years: int) -> tuple[bool, int]:
    # art. 8 "近五年": evaluation year − 5 … evaluation year, both inclusive.
    first = evaluation_year - lookback_years
    return first <= year <= evaluation_year, first


def _certificate(c: HighTechCertificate, on: date) -> _Problems:
    # art. 8(1): valid on the evaluation date.
    if c.issued_on > on:
        return [(f"发证日期{c.issued_on}晚于评价日{on}", f"issued {c.issued_on}, after {on}")]
    if c.valid_until < on:
        return [
            (
                f"证书已于{c.valid_until}到期，评价日{on}不在有效期内",
                f"expired on {c.valid_until}, before the evaluation date {on}",
            )
        ]
    return []


def _award(a: NationalAward, rules: FastTrackPolicy, evaluation_year: int) -> _Problems:
    # art. 8(2): national award in the last five years, among the first prize-winning units.
    rule = rules.national_award
    problems: _Problems = []
    recent, first = _in_lookback(a.year, evaluation_year, rule.lookback_years)
    if not recent:
        problems.append(
            (
                f"获奖年度{a.year}不在{first}至{evaluation_year}年之内",
                f"awarded in {a.year}, outside {first}-{evaluation_year}",
            )
        )
    if a.rank > rule.max_rank:
        problems.append(
            (
                f"企业为第{a.rank}完成单位，须在前{rule.max_rank}名",
                f"ranked {a.rank}, must be within the first {rule.max_rank}",
            )
        )
    return problems


def _institution(i: RdInstitution, rules: FastTrackPolicy, on: date) -> _Problems:
    # art. 8(3): recognised provincial/ministerial-level or higher, recognised by then.
    problems: _Problems = []
    if i.level not in rules.rd_institution.accepted_levels:
        zh, en = _LEVEL_NAMES[i.level]
        problems.append((f"{zh}研发机构不在认可范围内", f"a {en} institution is not accepted"))
    if i.recognised_on > on:
        problems.append(
            (
                f"认定日期{i.recognised_on}晚于评价日{on}",
                f"recognised {i.recognised_on}, after {on}",
            )
        )
    return problems


def _standard(s: Standard, rules: FastTrackPolicy, evaluation_year: int) -> _Problems:
    # art. 8(4): led the drafting of an international, national or industry standard.
    rule = rules.standard
    problems: _Problems = []
    recent, first = _in_lookback(s.year, evaluation_year, rule.lookback_years)
    if not recent:
        problems.append(
            (
                f"标准发布年度{s.year}不在{first}至{evaluation_year}年之内",
                f"published in {s.year}, outside {first}-{evaluation_year}",
            )
        )
    if s.level not in rule.accepted_levels:
        zh, en = _LEVEL_NAMES[s.level]
        problems.append((f"{zh}标准不在认可范围内", f"an {en} standard is not accepted"))
    if s.role not in rule.accepted_roles:
        zh, en = _ROLE_NAMES[s.role]
        problems.append(
            (f"企业为{zh}单位，须为主导制定单位", f"the enterprise's role is {en}, not lead")
        )
    return problems


def _enabled(claim: FastTrackClaim, rules: FastTrackPolicy) -> bool:
    return bool(getattr(rules, claim.kind).enabled)


def claim_problems(
    claim: FastTrackClaim, rules: FastTrackPolicy, evaluation_year: int, on: date
) -> _Problems:
    """Why a claim does not qualify (empty when it does)."""
    if not _enabled(claim, rules):
        return [("本年度政策未启用该直通车条件", "this fast-track is not enabled this year")]
    if isinstance(claim, HighTechCertificate):
        return _certificate(claim, on)
    if isinstance(claim, NationalAward):
        return _award(claim, rules, evaluation_year)
    if isinstance(claim, RdInstitution):
        return _institution(claim, rules, on)
    return _standard(claim, rules, evaluation_year)


def assess_fast_track(
    claims: Iterable[FastTrackClaim], rules: FastTrackPolicy, evaluation_year: int, on: date
) -> tuple[FastTrackResult, list[ConditionResult]]:
    """art. 8: qualified when any one claim's evidence holds; every claim is explained."""
    basis: list[str] = []
    conditions = []
    for claim in claims:
        problems = claim_problems(claim, rules, evaluation_year, on)
        name, name_en = _KIND_NAMES[claim.kind]
        name_en = name_en[0].upper() + name_en[1:]
        if problems:
            zh = f"{name}{claim.reference}不符合直通车条件：" + "；".join(p for p, _ in problems)
            en = f"{name_en} {claim.reference} does not qualify: " + "; ".join(
                p for _, p in problems
            )
        else:
            zh = f"{name}{claim.reference}符合直通车条件（评价日{on}）"
            en = f"{name_en} {claim.reference} qualifies for the fast-track (evaluated {on})"
            if claim.kind not in basis:
                basis.append(claim.kind)
        conditions.append(
            ConditionResult(
                code=f"fast_track_{claim.kind}",
                passed=not problems,
                message=zh,
                message_en=en,
                group="fast_track",
            )
        )
    return FastTrackResult(qualified=bool(basis), basis=basis), conditions
