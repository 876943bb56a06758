"""Art. 6 basic conditions 1-4: each one failing alone makes a full-score form ineligible."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shared.kernel.evaluation.eligibility import matching_exclusion
from shared.kernel.evaluation.engine import evaluate
from shared.kernel.evaluation.facts import CreditRecord, KnownFacts
from shared.kernel.evaluation.result import SelfEvaluation
from shared.kernel.evaluation.samples import sample_form
from shared.kernel.policy import shipped_policy

POLICY = shipped_policy(2026)
ON = date(2026, 6, 1)

BASIC_CODES = [
    "resident",
    "accounting_sound",
    "tax_collection_audit",
    "size_employees",
    "size_sales",
    "size_assets",
    "industry_not_excluded",
    "declaration_no_major_incident",
    "declaration_no_serious_fraud",
    "declaration_no_research_misconduct",
    "declaration_not_on_credit_lists",
    "declaration_information_true",
    "credit_records_clear",
]


def evaluated(changes: dict[str, Any], facts: KnownFacts | None = None) -> SelfEvaluation:
    # Scores 100 without a fast-track: only basic conditions can make it ineligible.
    form = sample_form({"fast_track": [], **changes})
    return evaluate(form, POLICY, ON, facts or KnownFacts())


def failed_basic(result: SelfEvaluation) -> list[str]:
    return [c.code for c in result.conditions if c.group == "basic" and not c.passed]


def test_the_sample_form_passes_every_basic_condition_in_article_order() -> None:
    result = evaluated({})
    assert [c.code for c in result.conditions if c.group == "basic"] == BASIC_CODES
    assert failed_basic(result) == []
    assert result.eligible


FAILING_ALONE = [  # each change keeps the score at 100
    ({"enterprise.resident": False}, "resident"),
    ({"enterprise.accounting_sound": False}, "accounting_sound"),
    ({"enterprise.tax_collection": "deemed"}, "tax_collection_audit"),
    ({"personnel": {"employees_total": 501, "st_personnel": 200}}, "size_employees"),
    ({"finance.sales_revenue": "200000000.01", "finance.rd_expense_total": "12000000.00"},
     "size_sales"),
    ({"finance.total_assets": "200000000.01"}, "size_assets"),
    ({"enterprise.industry_code": "F5123"}, "industry_not_excluded"),
    ({"declarations.no_major_incident": False}, "declaration_no_major_incident"),
    ({"declarations.no_serious_fraud": False}, "declaration_no_serious_fraud"),
    ({"declarations.no_research_misconduct": False}, "declaration_no_research_misconduct"),
    ({"declarations.not_on_credit_lists": False}, "declaration_not_on_credit_lists"),
    ({"declarations.information_true": False}, "declaration_information_true"),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "code"), FAILING_ALONE)
def test_each_basic_condition_failing_alone_makes_the_form_ineligible(
    changes: dict[str, Any], code: str
) -> None:
    result = evaluated(changes)
    assert failed_basic(result) == [code]
    assert result.total == 100
    assert not result.eligible
    (failed,) = [c for c in result.conditions if c.code == code]
    assert result.reasons == [failed.message]
    assert failed.message_en


@pytest.mark.parametrize(
    "changes",
    [
        {"personnel": {"employees_total": 500, "st_personnel": 200}},
        {"finance.sales_revenue": "200000000.00", "finance.rd_expense_total": "12000000.00"},
        {"finance.total_assets": "200000000.00"},
    ],
)
def test_size_limits_are_inclusive(changes: dict[str, Any]) -> None:
    result = evaluated(changes)
    assert failed_basic(result) == []
    assert result.eligible


def test_size_messages_name_the_figure_and_the_limit() -> None:
    result = evaluated({"personnel": {"employees_total": 501, "st_personnel": 200}})
    (condition,) = [c for c in result.conditions if c.code == "size_employees"]
    assert condition.message == "职工总数501人，超过500人"
    assert condition.message_en == "501 employees, above the limit of 500"


def test_deemed_taxation_is_explained() -> None:
    result = evaluated({"enterprise.tax_collection": "deemed"})
    assert result.reasons == ["企业实行核定征收，须为查账征收"]


@pytest.mark.parametrize(
    ("industry_code", "excluded_by"),
    [
        ("F5123", "F"),  # wholesale and retail: the whole section
        ("F", "F"),
        ("C1610", "C16"),  # tobacco
        ("C16", "C16"),
        ("H6110", "H"),  # accommodation
        ("H6210", "H"),  # catering
        ("K7010", "K"),  # real estate
        ("L7211", "L"),  # leasing and business services
        ("R9011", "R90"),  # entertainment
    ],
)
def test_excluded_industries_match_by_code_prefix(industry_code: str, excluded_by: str) -> None:
    exclusion, too_coarse = matching_exclusion(
        industry_code, POLICY.eligibility.excluded_industries
    )
    assert exclusion is not None
    assert (exclusion.code_prefix, too_coarse) == (excluded_by, False)
    result = evaluated({"enterprise.industry_code": industry_code})
    assert failed_basic(result) == ["industry_not_excluded"]


@pytest.mark.parametrize("industry_code", ["I6513", "C1710", "C17", "R8710", "R91", "M7320"])
def test_industries_outside_the_list_pass(industry_code: str) -> None:
    result = evaluated({"enterprise.industry_code": industry_code})
    assert failed_basic(result) == []


def test_a_section_code_coarser_than_an_excluded_division_cannot_be_decided() -> None:
    # `C` may or may not be tobacco (C16): the enterprise must give the division.
    result = evaluated({"enterprise.industry_code": "C"})
    assert failed_basic(result) == ["industry_not_excluded"]
    assert "不够具体" in result.reasons[0]


def test_excluded_industry_message_names_the_industry() -> None:
    result = evaluated({"enterprise.industry_code": "C1610"})
    assert "烟草制品业（C16）" in result.reasons[0]


CREDIT_CASES = [
    pytest.param(CreditRecord("abnormal_operation", date(2025, 3, 1), date(2025, 6, 30)),
                 False, id="listed in the previous year"),
    pytest.param(CreditRecord("serious_dishonesty", date(2020, 1, 1)), False,
                 id="still listed since long ago"),
    pytest.param(CreditRecord("safety", date(2026, 2, 3), date(2026, 2, 3)), False,
                 id="incident this year"),
    pytest.param(CreditRecord("abnormal_operation", date(2023, 1, 1), date(2024, 12, 31)),
                 True, id="listing ended before the previous year"),
    pytest.param(CreditRecord("quality", date(2024, 12, 31), date(2024, 12, 31)), True,
                 id="incident two years ago"),
]  # fmt: skip


@pytest.mark.parametrize(("record", "clear"), CREDIT_CASES)
def test_known_credit_records_of_the_previous_and_current_year_fail(
    record: CreditRecord, clear: bool
) -> None:
    result = evaluated({}, KnownFacts(credit_records=(record,)))
    assert failed_basic(result) == ([] if clear else ["credit_records_clear"])
    assert result.eligible is clear


def test_a_credit_record_is_named_in_the_reason() -> None:
    record = CreditRecord("abnormal_operation", date(2025, 3, 1), date(2025, 6, 30))
    result = evaluated({}, KnownFacts(credit_records=(record,)))
    assert "经营异常名录（2025-03-01起）" in result.reasons[0]


def test_without_known_facts_the_credit_condition_passes() -> None:
    result = evaluate(sample_form({"fast_track": []}), POLICY, ON)
    assert failed_basic(result) == []


def test_every_failed_basic_condition_is_a_reason() -> None:
    changes = {"enterprise.resident": False, "personnel.employees_total": 600}
    result = evaluated({**changes, "personnel.st_personnel": 300})
    assert failed_basic(result) == ["resident", "size_employees"]
    assert len(result.reasons) == 2
