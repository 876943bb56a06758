"""Art. 7 bands at every boundary: just below, on, and just above each lower bound."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shared.kernel.evaluation.engine import evaluate
from shared.kernel.evaluation.result import SelfEvaluation
from shared.kernel.evaluation.samples import sample_form
from shared.kernel.policy import shipped_policy

POLICY = shipped_policy(2026)
ON = date(2026, 6, 1)


def score(changes: dict[str, Any]) -> SelfEvaluation:
    return evaluate(sample_form({"fast_track": [], **changes}), POLICY, ON)


def _around(bound: int, below: int, on: int) -> list[tuple[int, int]]:
    """(numerator, expected points) just below, on and just above a bound."""
    return [(bound - 1, below), (bound, on), (bound + 1, on)]


# S&T personnel out of 10,000 employees: 10/15/20/25/30% → 4/8/12/16/20.
PERSONNEL_CASES = [
    *_around(1000, 0, 4),
    *_around(1500, 4, 8),
    *_around(2000, 8, 12),
    *_around(2500, 12, 16),
    *_around(3000, 16, 20),
    (0, 0),
    (10000, 20),
]


@pytest.mark.parametrize(("st_personnel", "points"), PERSONNEL_CASES)
def test_personnel_band_boundaries(st_personnel: int, points: int) -> None:
    result = score({"personnel": {"employees_total": 10000, "st_personnel": st_personnel}})
    assert result.personnel.points == points


def test_thirty_percent_staff_scores_twenty() -> None:
    result = score({"personnel": {"employees_total": 10, "st_personnel": 3}})
    assert result.personnel.points == 20


def test_twenty_nine_point_nine_nine_percent_staff_scores_sixteen() -> None:
    result = score({"personnel": {"employees_total": 10000, "st_personnel": 2999}})
    assert result.personnel.points == 16
    assert str(result.personnel.ratio) == "0.2999"


def test_a_third_of_staff_is_shown_with_four_decimals() -> None:
    result = score({"personnel": {"employees_total": 48, "st_personnel": 16}})
    assert result.model_dump(mode="json")["personnel"] == {"ratio": "0.3333", "points": 20}


def test_no_employees_gives_no_ratio_and_no_points() -> None:
    result = score({"personnel": {"employees_total": 0, "st_personnel": 0}})
    assert result.personnel.ratio is None
    assert result.personnel.points == 0


def _cents(amount_in_cents: int) -> str:
    return f"{amount_in_cents // 100}.{amount_in_cents % 100:02d}"


HUNDRED_MILLION_CENTS = 100_000_000 * 100

# R&D expense against 100,000,000.00 yuan of sales, 1 cent either side of each bound.
RD_SALES_CASES = [
    *_around(2 * HUNDRED_MILLION_CENTS // 100, 0, 10),
    *_around(3 * HUNDRED_MILLION_CENTS // 100, 10, 20),
    *_around(4 * HUNDRED_MILLION_CENTS // 100, 20, 30),
    *_around(5 * HUNDRED_MILLION_CENTS // 100, 30, 40),
    *_around(6 * HUNDRED_MILLION_CENTS // 100, 40, 50),
]


@pytest.mark.parametrize(("rd_cents", "points"), RD_SALES_CASES)
def test_rd_to_sales_band_boundaries(rd_cents: int, points: int) -> None:
    result = score(
        {
            "rd_ratio_choice": "sales",
            "finance.sales_revenue": "100000000.00",
            "finance.cost_expense_total": "100000000.00",
            "finance.rd_expense_total": _cents(rd_cents),
        }
    )
    assert (result.rd.chosen, result.rd.points) == ("sales", points)


# R&D expense against 100,000,000.00 yuan of total cost: 10/15/20/25/30% → 10…50.
RD_COST_CASES = [
    *_around(10 * HUNDRED_MILLION_CENTS // 100, 0, 10),
    *_around(15 * HUNDRED_MILLION_CENTS // 100, 10, 20),
    *_around(20 * HUNDRED_MILLION_CENTS // 100, 20, 30),
    *_around(25 * HUNDRED_MILLION_CENTS // 100, 30, 40),
    *_around(30 * HUNDRED_MILLION_CENTS // 100, 40, 50),
]


@pytest.mark.parametrize(("rd_cents", "points"), RD_COST_CASES)
def test_rd_to_cost_band_boundaries(rd_cents: int, points: int) -> None:
    result = score(
        {
            "rd_ratio_choice": "cost",
            "finance.sales_revenue": "100000000.00",
            "finance.cost_expense_total": "100000000.00",
            "finance.rd_expense_total": _cents(rd_cents),
        }
    )
    assert (result.rd.chosen, result.rd.points) == ("cost", points)


def _ip(kind: str, number: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "number": number,
        "granted_on": "2022-01-01",
        "valid_until": None,
        "related_to_main_product": True,
        "disputed": False,
    }


def _class2(count: int) -> list[dict[str, Any]]:
    return [_ip("utility_model", f"ZL20222000000{i}.X") for i in range(count)]


@pytest.mark.parametrize(("count", "points"), [(0, 0), (1, 6), (2, 12), (3, 18), (4, 24), (5, 24)])
def test_class2_count_bands(count: int, points: int) -> None:
    result = score({"ip": _class2(count)})
    assert result.achievements.model_dump() == {"class1": 0, "class2": count, "points": points}


def test_one_class1_item_scores_thirty_and_bands_do_not_add_up() -> None:
    result = score({"ip": [_ip("invention_patent", "ZL202110000001.1"), *_class2(5)]})
    assert result.achievements.model_dump() == {"class1": 1, "class2": 5, "points": 30}


@pytest.mark.parametrize(
    "kind",
    [
        "invention_patent",
        "defence_patent",
        "plant_variety",
        "national_crop_variety",
        "national_new_drug",
        "tcm_protected_grade1",
        "ic_layout_design",
    ],
)
def test_every_class1_kind_scores_thirty(kind: str) -> None:
    assert score({"ip": [_ip(kind, "X-1")]}).achievements.points == 30


@pytest.mark.parametrize("kind", ["utility_model", "design_patent", "software_copyright"])
def test_every_class2_kind_counts_as_class2(kind: str) -> None:
    assert score({"ip": [_ip(kind, "X-1")]}).achievements.class2 == 1


@pytest.mark.parametrize("kind", ["trademark", "other"])
def test_trademarks_and_other_ip_never_count(kind: str) -> None:
    result = score({"ip": [_ip(kind, f"{kind}-{i}") for i in range(5)]})
    assert result.achievements.model_dump() == {"class1": 0, "class2": 0, "points": 0}
