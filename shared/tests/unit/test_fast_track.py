"""Art. 8 fast-track (直通车): each kind with valid and with inconsistent evidence."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shared.kernel.evaluation.engine import evaluate
from shared.kernel.evaluation.result import ConditionResult, SelfEvaluation
from shared.kernel.evaluation.samples import sample_form
from shared.kernel.policy import Policy, policy_from_document, shipped_policy

POLICY = shipped_policy(2026)
ON = date(2026, 6, 1)

# A form that fails on score alone (no S&T staff, no R&D, no IP): only a fast-track helps.
LOW_SCORE = {
    "personnel.st_personnel": 0,
    "finance.rd_expense_total": "0.00",
    "ip": [],
}


def certificate(**changes: Any) -> dict[str, Any]:
    claim = {
        "kind": "high_tech_certificate",
        "reference": "GR202315000001",
        "issued_on": "2023-11-20",
        "valid_until": "2026-11-19",
    }
    return {**claim, **changes}


def award(**changes: Any) -> dict[str, Any]:
    return {"kind": "national_award", "reference": "2021-J-1", "year": 2021, "rank": 3, **changes}


def institution(**changes: Any) -> dict[str, Any]:
    claim = {
        "kind": "rd_institution",
        "reference": "NMG-QYJSZX-01",
        "level": "provincial",
        "recognised_on": "2020-05-01",
    }
    return {**claim, **changes}


def standard(**changes: Any) -> dict[str, Any]:
    claim = {
        "kind": "standard",
        "reference": "GB/T 12345-2021",
        "level": "national",
        "year": 2021,
        "role": "lead",
    }
    return {**claim, **changes}


def assess(
    *claims: dict[str, Any], on: date = ON, policy: Policy = POLICY
) -> tuple[SelfEvaluation, ConditionResult]:
    result = evaluate(sample_form({**LOW_SCORE, "fast_track": list(claims)}), policy, on)
    claim_conditions = [c for c in result.conditions if c.group == "fast_track"]
    return result, claim_conditions[0]


def policy_with(path: tuple[str, ...], value: Any) -> Policy:
    document = POLICY.to_document()
    node = document
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return policy_from_document({**document, "version": POLICY.version + 1})


VALID_CLAIMS = [
    pytest.param(certificate(), id="certificate valid on the evaluation date"),
    pytest.param(certificate(valid_until="2026-06-01"), id="certificate expiring that day"),
    pytest.param(award(), id="award five years back, ranked third"),
    pytest.param(award(year=2026, rank=1), id="award this year"),
    pytest.param(institution(), id="provincial institution"),
    pytest.param(institution(level="national"), id="national institution"),
    pytest.param(institution(level="ministerial"), id="ministerial institution"),
    pytest.param(institution(recognised_on="2026-06-01"), id="recognised that day"),
    pytest.param(standard(), id="led a national standard five years back"),
    pytest.param(standard(level="international", year=2026), id="international standard"),
    pytest.param(standard(level="industry"), id="industry standard"),
]


@pytest.mark.parametrize("claim", VALID_CLAIMS)
def test_valid_evidence_qualifies_whatever_the_score(claim: dict[str, Any]) -> None:
    result, condition = assess(claim)
    assert result.total < POLICY.scoring.pass_score
    assert result.fast_track.qualified
    assert result.fast_track.basis == [claim["kind"]]
    assert result.eligible
    assert condition.passed
    assert condition.code == f"fast_track_{claim['kind']}"


INVALID_CLAIMS = [
    pytest.param(certificate(valid_until="2026-05-31"), "到期", "expired", id="expired"),
    pytest.param(certificate(issued_on="2026-06-02", valid_until="2029-06-01"), "晚于",
                 "after", id="certificate not yet issued"),
    pytest.param(award(year=2020), "不在2021至2026年之内", "outside 2021-2026",
                 id="award six years old"),
    pytest.param(award(year=2027), "不在2021至2026年之内", "outside", id="award in the future"),
    pytest.param(award(rank=4), "第4完成单位", "ranked 4", id="award rank four"),
    pytest.param(institution(recognised_on="2026-06-02"), "晚于评价日", "after",
                 id="institution recognised after the evaluation date"),
    pytest.param(standard(role="participant"), "参与", "not lead", id="standard participant"),
    pytest.param(standard(year=2020), "不在2021至2026年之内", "outside",
                 id="standard six years old"),
]  # fmt: skip


@pytest.mark.parametrize(("claim", "why", "why_en"), INVALID_CLAIMS)
def test_inconsistent_evidence_does_not_qualify_and_says_why(
    claim: dict[str, Any], why: str, why_en: str
) -> None:
    result, condition = assess(claim)
    assert not result.fast_track.qualified
    assert result.fast_track.basis == []
    assert not result.eligible
    assert not condition.passed
    assert why in condition.message
    assert why_en in condition.message_en
    # Ineligible: the failed claim is among the reasons, after the score condition.
    assert condition.message in result.reasons


def test_the_contract_example_certificate_has_expired_by_late_november() -> None:
    _, condition = assess(certificate(), on=date(2026, 11, 25))
    assert not condition.passed
    assert "2026-11-19" in condition.message


def test_any_one_valid_claim_is_enough() -> None:
    result = evaluate(
        sample_form({**LOW_SCORE, "fast_track": [award(rank=9), standard()]}), POLICY, ON
    )
    assert result.fast_track.basis == ["standard"]
    assert result.eligible
    assert [c.passed for c in result.conditions if c.group == "fast_track"] == [False, True]


def test_basis_lists_each_qualifying_kind_once() -> None:
    claims = [certificate(), certificate(reference="GR2"), award()]
    result = evaluate(sample_form({**LOW_SCORE, "fast_track": claims}), POLICY, ON)
    assert result.fast_track.basis == ["high_tech_certificate", "national_award"]


def test_a_failed_claim_does_not_hurt_a_passing_score() -> None:
    result = evaluate(sample_form({"fast_track": [award(rank=4)]}), POLICY, ON)
    assert result.eligible
    assert result.reasons == []


def test_no_claims_means_no_fast_track() -> None:
    result = evaluate(sample_form({"fast_track": []}), POLICY, ON)
    assert result.fast_track.model_dump() == {"qualified": False, "basis": []}


def test_fast_track_does_not_override_a_failed_basic_condition() -> None:
    form = sample_form({**LOW_SCORE, "fast_track": [certificate()], "enterprise.resident": False})
    result = evaluate(form, POLICY, ON)
    assert result.fast_track.qualified
    assert not result.eligible


def test_award_rank_limit_comes_from_the_policy() -> None:
    policy = policy_with(("fast_track", "national_award", "max_rank"), 5)
    _, condition = assess(award(rank=4), policy=policy)
    assert condition.passed


def test_lookback_comes_from_the_policy() -> None:
    policy = policy_with(("fast_track", "standard", "lookback_years"), 3)
    _, condition = assess(standard(year=2022), policy=policy)
    assert not condition.passed


def test_institution_levels_come_from_the_policy() -> None:
    policy = policy_with(("fast_track", "rd_institution", "accepted_levels"), ["national"])
    _, condition = assess(institution(level="provincial"), policy=policy)
    assert not condition.passed
    assert "省级研发机构不在认可范围内" in condition.message


def test_standard_levels_come_from_the_policy() -> None:
    policy = policy_with(("fast_track", "standard", "accepted_levels"), ["international"])
    _, condition = assess(standard(level="industry"), policy=policy)
    assert not condition.passed


def test_a_kind_disabled_in_the_policy_does_not_qualify() -> None:
    policy = policy_with(("fast_track", "high_tech_certificate", "enabled"), False)
    result, condition = assess(certificate(), policy=policy)
    assert not result.fast_track.qualified
    assert "未启用" in condition.message
