"""The shipped yearly policy files: they load, hold the defaults of domain.md, round-trip."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from shared.kernel.codes.achievements import IPKind
from shared.kernel.policy import (
    Policy,
    PolicyYearNotShipped,
    policy_from_document,
    policy_to_document,
    shipped_policy,
    shipped_years,
)
from shared.kernel.policy.scoring_rules import IPClass

YEARS = [2022, 2023, 2024, 2025, 2026]


def test_every_year_from_2022_to_2026_is_shipped() -> None:
    assert shipped_years() == tuple(YEARS)


@pytest.mark.parametrize("year", YEARS)
def test_each_shipped_year_loads_as_version_one(year: int) -> None:
    policy = shipped_policy(year)
    assert (policy.year, policy.version) == (year, 1)


def test_an_unshipped_year_is_a_clear_lookup_error() -> None:
    with pytest.raises(PolicyYearNotShipped):
        shipped_policy(2019)
    with pytest.raises(KeyError):  # the policy store catches KeyError
        shipped_policy(2019)


def test_2022_closes_on_the_cut_off_of_the_seed_notice() -> None:
    assert shipped_policy(2022).window.closes_on == date(2022, 10, 20)


def test_2024_opened_on_27_june_with_its_milestones() -> None:
    policy = shipped_policy(2024)
    assert policy.window.opens_on == date(2024, 6, 27)
    assert policy.milestones.publicity_done_by == date(2024, 10, 31)
    assert policy.milestones.spot_checks_done_by == date(2024, 12, 15)


def test_the_2026_window_includes_the_local_demo_date() -> None:
    assert shipped_policy(2026).window.is_open_on(date(2026, 11, 25))


@pytest.mark.parametrize("year", YEARS)
def test_shipped_defaults_match_the_domain(year: int) -> None:
    p = shipped_policy(year)
    limits = p.eligibility.size_limits
    assert (limits.employees_max, limits.sales_revenue_max, limits.total_assets_max) == (
        500,
        Decimal("200000000"),
        Decimal("200000000"),
    )
    assert [(b.at_least, b.points) for b in p.scoring.personnel_bands] == [
        (Decimal(r), pts) for r, pts in [("0.10", 4), ("0.15", 8), ("0.20", 12), ("0.25", 16),
                                         ("0.30", 20)]
    ]  # fmt: skip
    assert [b.points for b in p.scoring.rd_sales_bands] == [10, 20, 30, 40, 50]
    assert [b.at_least for b in p.scoring.rd_cost_bands][-1] == Decimal("0.30")
    assert p.scoring.achievements.class1_points == 30
    assert [(b.at_least, b.points) for b in p.scoring.achievements.class2_bands] == [
        (1, 6), (2, 12), (3, 18), (4, 24)
    ]  # fmt: skip
    assert (p.scoring.pass_score, p.scoring.max_total) == (60, 100)
    assert p.scoring.cost_includes_taxes_and_surcharges is False
    assert [e.code_prefix for e in p.eligibility.excluded_industries] == [
        "C16", "H", "F", "K", "L", "R90"
    ]  # fmt: skip
    assert p.publicity.working_days == 10
    assert p.review.deadline_working_days == 20
    assert (p.supervision.accept_working_days, p.supervision.conclude_working_days) == (5, 30)
    assert (p.spot_check.ratio, p.spot_check.minimum_per_agency) == (Decimal("0.10"), 1)
    assert p.tracking.due_days_after_quarter_end == 15
    assert p.tracking.day_counting == "calendar"
    assert p.warnings.shared_contact.min_enterprises == 5
    assert p.warnings.jump_vs_previous_year.factor == Decimal(3)
    assert p.onsite_triggers.few_employees.max_employees == 5
    assert p.onsite_triggers.low_rd_expense.below == Decimal(100000)
    assert p.calendar == {}


@pytest.mark.parametrize("year", YEARS)
def test_ip_classes_follow_article_seven(year: int) -> None:
    classes = shipped_policy(year).scoring.ip_classes
    class1 = {k for k, c in classes.items() if c is IPClass.CLASS1}
    class2 = {k for k, c in classes.items() if c is IPClass.CLASS2}
    assert len(class1) == 7
    assert class2 == {IPKind.UTILITY_MODEL, IPKind.DESIGN_PATENT, IPKind.SOFTWARE_COPYRIGHT}
    assert classes[IPKind.TRADEMARK] is IPClass.NONE


def test_registration_numbers_follow_the_default_format() -> None:
    registration = shipped_policy(2026).registration
    assert registration.format_number(2026, "150105", 1) == "2026150105A0000001"
    assert registration.valid_until_for(2026) == date(2026, 12, 31)


@pytest.mark.parametrize("year", YEARS)
def test_a_policy_round_trips_through_json(year: int) -> None:
    policy = shipped_policy(year)
    text = json.dumps(policy_to_document(policy), ensure_ascii=False)
    assert policy_from_document(json.loads(text)) == policy


def test_the_document_carries_the_contract_fields_with_decimals_as_strings() -> None:
    document = shipped_policy(2026).to_document()
    assert {"year", "version", "window"} <= document.keys()
    assert document["window"] == {
        "opens_on": "2026-03-01",
        "closes_on": "2026-12-31",
        "year_closes_on": "2026-12-31",
        "resubmission_closes_on": "2027-01-28",
    }
    assert document["scoring"]["personnel_bands"][-1] == {"at_least": "0.30", "points": 20}
    assert document["eligibility"]["size_limits"]["sales_revenue_max"] == "200000000.00"
    assert document["spot_check"]["ratio"] == "0.10"


def test_a_calendar_entry_round_trips_and_feeds_the_working_day_calendar() -> None:
    from shared.kernel.calendar import schedules_from_mapping

    document = shipped_policy(2026).to_document()
    document["calendar"] = {"2027": {"holidays": ["2027-01-01"], "workdays": ["2027-02-07"]}}
    policy = policy_from_document(document)
    assert policy_from_document(json.loads(json.dumps(policy.to_document()))) == policy
    schedule = schedules_from_mapping(policy.calendar_document())[2027]
    assert schedule.workdays == frozenset({date(2027, 2, 7)})


def test_policy_is_immutable() -> None:
    policy = shipped_policy(2026)
    with pytest.raises(ValueError, match="frozen"):
        policy.version = 2  # type: ignore[misc]
    assert isinstance(policy, Policy)
