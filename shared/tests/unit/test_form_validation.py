"""Structural validation of the information form (信息表), contract.md and domain.md §6."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from shared.kernel.evaluation.form import InformationForm
from shared.kernel.evaluation.samples import CONTRACT_EXAMPLE, sample_document, sample_form


def errors(changes: dict[str, Any]) -> list[dict[str, Any]]:
    with pytest.raises(ValidationError) as caught:
        sample_form(changes)
    return [dict(e) for e in caught.value.errors()]


def locs(changes: dict[str, Any]) -> list[tuple[int | str, ...]]:
    return [tuple(e["loc"]) for e in errors(changes)]


def test_the_contract_example_is_a_valid_form() -> None:
    form = InformationForm.model_validate(CONTRACT_EXAMPLE)
    assert form.personnel.st_personnel == 16
    assert form.reported_year == 2025


def test_an_unknown_top_level_field_is_refused() -> None:
    assert locs({"comment": "hi"}) == [("comment",)]


def test_an_unknown_nested_field_is_refused() -> None:
    assert locs({"finance.rd_expenses": "1.00"}) == [("finance", "rd_expenses")]


def test_more_st_personnel_than_employees_is_refused_at_the_st_field() -> None:
    (error,) = errors({"personnel": {"employees_total": 10, "st_personnel": 11}})
    assert error["loc"] == ("personnel", "st_personnel")
    assert error["type"] == "st_personnel_exceeds_total"


def test_st_personnel_equal_to_employees_is_accepted() -> None:
    assert sample_form({"personnel": {"employees_total": 10, "st_personnel": 10}})


@pytest.mark.parametrize("region", ["110105", "150", "15010A", "159900"])
def test_a_region_outside_the_province_is_refused(region: str) -> None:
    assert ("enterprise", "region_code") in locs({"enterprise.region_code": region})


def test_the_special_cities_are_regions_of_the_province() -> None:
    assert sample_form({"enterprise.region_code": "150781"}).enterprise.region_code == "150781"


def test_an_unknown_high_tech_zone_is_refused() -> None:
    assert locs({"enterprise.high_tech_zone": "htz-nowhere"}) == [("enterprise", "high_tech_zone")]


def test_a_known_high_tech_zone_is_accepted() -> None:
    form = sample_form(
        {"enterprise.region_code": "150203", "enterprise.high_tech_zone": "htz-baotou"}
    )
    assert form.enterprise.high_tech_zone == "htz-baotou"


def test_a_zone_outside_the_enterprises_league_or_city_is_refused() -> None:
    # domain.md §1: the sample enterprise is in 呼和浩特 (150105), htz-baotou is in 包头.
    assert locs({"enterprise.high_tech_zone": "htz-baotou"}) == [("enterprise", "high_tech_zone")]


def test_a_refused_region_is_reported_on_the_region_alone() -> None:
    changes = {"enterprise.region_code": "110105", "enterprise.high_tech_zone": "htz-baotou"}
    assert locs(changes) == [("enterprise", "region_code")]


@pytest.mark.parametrize(
    "field", ["sales_revenue", "total_assets", "cost_expense_total", "rd_expense_total"]
)
def test_negative_money_is_refused(field: str) -> None:
    assert locs({f"finance.{field}": "-0.01"}) == [("finance", field)]


def test_negative_headcount_is_refused() -> None:
    assert ("personnel", "employees_total") in locs({"personnel.employees_total": -1})


def test_money_with_three_decimals_is_refused() -> None:
    (error,) = errors({"finance.sales_revenue": "1000.005"})
    assert error["loc"] == ("finance", "sales_revenue")
    assert error["type"] == "decimal_max_places"


def test_a_json_number_is_accepted_for_money() -> None:
    document = sample_document()
    document["finance"]["sales_revenue"] = 15000000.5
    document["finance"]["rd_expense_total"] = 1100000
    form = InformationForm.model_validate_json(json.dumps(document))
    assert form.finance.sales_revenue == Decimal("15000000.5")
    assert form.model_dump(mode="json")["finance"]["sales_revenue"] == "15000000.50"


def test_money_is_serialised_as_a_two_decimal_string() -> None:
    form = sample_form({"finance.rd_expense_total": "1100000"})
    assert form.model_dump(mode="json")["finance"]["rd_expense_total"] == "1100000.00"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("enterprise.tax_collection", "estimated"),
        ("rd_ratio_choice", "profit"),
        ("ip.0.kind", "patent"),
        ("fast_track.0.kind", "provincial_award"),
    ],
)
def test_unknown_enum_values_are_refused(path: str, value: str) -> None:
    assert locs({path: value})


def test_an_enterprise_established_after_the_reported_year_is_refused() -> None:
    (error,) = errors({"enterprise.established_on": "2026-01-01"})
    assert error["type"] == "established_after_reported_year"
    assert error["ctx"]["field"] == ("enterprise", "established_on")


def test_ip_that_expires_before_it_was_granted_is_refused() -> None:
    (error,) = errors({"ip.0.valid_until": "2020-01-01"})
    assert error["loc"][:2] == ("ip", 0)
    assert error["type"] == "date_order"


def test_a_malformed_uscc_is_refused() -> None:
    assert locs({"enterprise.uscc": "91150105MA0Q4XXXXI"}) == [("enterprise", "uscc")]


def test_the_form_round_trips_through_json() -> None:
    form = sample_form()
    assert InformationForm.model_validate_json(form.model_dump_json()) == form
