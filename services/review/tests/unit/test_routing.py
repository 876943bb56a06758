"""Routing a case to its agency (domain.md §1): every agency, the two county-level cities
named separately, and the national high-tech zones first."""

from __future__ import annotations

import pytest

from review.domain.routing import routed_agency
from shared.kernel.evaluation.samples import sample_form


@pytest.mark.parametrize(
    ("region", "agency"),
    [
        ("150105", "150100"),  # 呼和浩特 赛罕区
        ("150203", "150200"),  # 包头 昆都仑区
        ("150302", "150300"),  # 乌海 海勃湾区
        ("150402", "150400"),  # 赤峰 红山区
        ("150502", "150500"),  # 通辽 科尔沁区
        ("150602", "150600"),  # 鄂尔多斯 东胜区
        ("150702", "150700"),  # 呼伦贝尔 海拉尔区
        ("150802", "150800"),  # 巴彦淖尔 临河区
        ("150902", "150900"),  # 乌兰察布 集宁区
        ("152201", "152200"),  # 兴安盟 乌兰浩特市
        ("152502", "152500"),  # 锡林郭勒盟 锡林浩特市
        ("152921", "152900"),  # 阿拉善盟 阿拉善左旗
    ],
)
def test_each_league_or_city_bureau_reviews_its_area(region: str, agency: str) -> None:
    assert routed_agency(sample_form({"enterprise.region_code": region})) == agency


def test_manzhouli_is_reviewed_by_its_own_bureau_not_hulunbuir() -> None:
    assert routed_agency(sample_form({"enterprise.region_code": "150781"})) == "150781"


def test_erenhot_is_reviewed_by_its_own_bureau_not_xilingol() -> None:
    assert routed_agency(sample_form({"enterprise.region_code": "152501"})) == "152501"


def test_other_places_of_hulunbuir_and_xilingol_stay_with_the_league() -> None:
    assert routed_agency(sample_form({"enterprise.region_code": "150782"})) == "150700"
    assert routed_agency(sample_form({"enterprise.region_code": "152522"})) == "152500"


@pytest.mark.parametrize(
    ("zone", "region"),
    [("htz-baotou", "150203"), ("htz-hohhot", "150105"), ("htz-ordos", "150602")],
)
def test_an_enterprise_in_a_high_tech_zone_goes_to_the_zone_committee(
    zone: str, region: str
) -> None:
    form = sample_form({"enterprise.region_code": region, "enterprise.high_tech_zone": zone})
    assert routed_agency(form) == zone


def test_the_zone_wins_over_the_league_or_city_it_lies_in() -> None:
    form = sample_form(
        {"enterprise.region_code": "150603", "enterprise.high_tech_zone": "htz-ordos"}
    )
    assert routed_agency(form) == "htz-ordos"
