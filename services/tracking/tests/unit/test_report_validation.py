"""Validation of quarterly report bodies against the year's field list (domain.md §8)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from shared.kernel.policy import shipped_policy
from shared.kernel.policy.tracking_rules import ReportField, ReportFieldKind
from shared.platform.web.errors import validation_details
from tracking.domain.needs import NeedCategory
from tracking.domain.report_body import validate_report
from tracking.domain.samples import sample_report

POLICY = shipped_policy(2026)
TRACKING, LIMITS = POLICY.tracking, POLICY.eligibility.size_limits


def errors(body: Any, tracking: Any = TRACKING) -> dict[tuple[Any, ...], str]:
    with pytest.raises(ValidationError) as caught:
        validate_report(body, tracking, LIMITS)
    # The paths as the API shows them (a cross-field error names its field in ctx).
    details = validation_details(caught.value.errors(include_url=False))
    return {tuple(d["loc"]): d["type"] for d in details}


def test_a_valid_body_gives_exact_figures_and_needs() -> None:
    report = validate_report(
        sample_report(needs=[{"category": "technology", "text": " 需要高校合作 "}]),
        TRACKING,
        LIMITS,
    )
    assert report.figure("operating_revenue") == Decimal("3200000.00")
    assert report.figure("total_profit") == Decimal("-150000.50")
    assert report.figure("employees") == 48
    assert report.needs[0].category is NeedCategory.TECHNOLOGY
    assert report.needs[0].text == "需要高校合作"


def test_profit_alone_may_be_negative() -> None:
    assert errors(sample_report(taxes_paid="-0.01", total_profit="-1")) == {
        ("taxes_paid",): "greater_than_equal"
    }


@pytest.mark.parametrize(
    "field", ["operating_revenue", "export_revenue", "rd_expense", "financing_received"]
)
def test_money_cannot_be_negative(field: str) -> None:
    assert errors(sample_report(**{field: "-1"})) == {(field,): "greater_than_equal"}


def test_employees_equal_to_st_personnel_is_fine_but_fewer_is_refused() -> None:
    validate_report(sample_report(employees=16, st_personnel=16), TRACKING, LIMITS)
    assert errors(sample_report(employees=15, st_personnel=16)) == {
        ("st_personnel",): "figure_exceeds"
    }


def test_export_revenue_above_operating_revenue_is_refused() -> None:
    assert errors(sample_report(operating_revenue="10", export_revenue="10.01")) == {
        ("export_revenue",): "figure_exceeds"
    }


def test_magnitudes_beyond_ten_times_the_sme_limits_are_implausible() -> None:
    limit = LIMITS.sales_revenue_max * 10
    validate_report(sample_report(operating_revenue=str(limit)), TRACKING, LIMITS)
    assert errors(sample_report(operating_revenue=str(limit + 1))) == {
        ("operating_revenue",): "implausible_magnitude"
    }
    assert errors(sample_report(total_profit=str(-limit - 1))) == {
        ("total_profit",): "implausible_magnitude"
    }
    people = LIMITS.employees_max * 10
    assert errors(sample_report(employees=people + 1, st_personnel=0)) == {
        ("employees",): "implausible_magnitude"
    }


def test_a_count_given_as_true_or_false_is_refused_not_read_as_one_or_zero() -> None:
    assert errors(sample_report(ip_granted=True, invention_patent_applications=False)) == {
        ("ip_granted",): "int_type",
        ("invention_patent_applications",): "int_type",
    }
    # Whole numbers still come as JSON numbers or numeric strings.
    report = validate_report(sample_report(ip_granted=2.0, employees="48"), TRACKING, LIMITS)
    assert (report.figure("ip_granted"), report.figure("employees")) == (2, 48)


def test_unknown_and_missing_fields_are_refused() -> None:
    body = sample_report(ip_granted=None, trademarks=2)
    assert errors(body) == {("ip_granted",): "missing", ("trademarks",): "extra_forbidden"}


def test_money_with_three_decimals_and_fractional_counts_are_refused() -> None:
    assert errors(sample_report(rd_expense="1.001", ip_granted=1.5)) == {
        ("rd_expense",): "decimal_max_places",
        ("ip_granted",): "int_from_float",
    }


def test_needs_have_a_known_category_and_text() -> None:
    assert errors(sample_report(needs=[{"category": "luck", "text": "x"}])) == {
        ("needs", 0, "category"): "enum"
    }
    assert errors(sample_report(needs=[{"category": "talent"}])) == {
        ("needs", 0, "text"): "missing"
    }
    assert errors(sample_report(needs=[{"category": "talent", "text": "x"}] * 11)) == {
        ("needs",): "too_long"
    }


def test_the_field_list_comes_from_the_policy() -> None:
    fewer = TRACKING.model_copy(
        update={
            "report_fields": (
                ReportField(
                    name="operating_revenue",
                    kind=ReportFieldKind.MONEY,
                    label="营业收入",
                    label_en="Operating revenue",
                ),
                ReportField(
                    name="patents_pledged",
                    kind=ReportFieldKind.COUNT,
                    label="专利质押数",
                    label_en="Patents pledged",
                ),
            )
        }
    )
    report = validate_report({"operating_revenue": 5, "patents_pledged": 1}, fewer, LIMITS)
    assert dict(report.figures) == {"operating_revenue": Decimal(5), "patents_pledged": 1}
    assert errors(sample_report(), fewer)[("taxes_paid",)] == "extra_forbidden"


def test_a_body_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(ValidationError):
        validate_report([1, 2], TRACKING, LIMITS)
