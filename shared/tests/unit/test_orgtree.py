"""Routing by the Inner Mongolia organisation tree (domain.md §1)."""

from __future__ import annotations

import pytest

from shared.kernel.codes.orgtree import (
    OrgKind,
    UnknownRegion,
    UnknownZone,
    ZoneOutsideRegion,
    org_tree,
)

LEAGUE_CITY_ROUTES = [
    ("150102", "150100"),
    ("150205", "150200"),
    ("150302", "150300"),
    ("150402", "150400"),
    ("150502", "150500"),
    ("150602", "150600"),
    ("150702", "150700"),
    ("150802", "150800"),
    ("150902", "150900"),
    ("152201", "152200"),
    ("152502", "152500"),
    ("152921", "152900"),
]


@pytest.mark.parametrize(("region", "agency"), LEAGUE_CITY_ROUTES)
def test_every_league_city_bureau_reviews_its_area(region: str, agency: str) -> None:
    assert org_tree().route(region, None).code == agency


def test_manzhouli_is_reviewed_by_its_own_bureau_not_hulunbuir() -> None:
    assert org_tree().route("150781", None).code == "150781"
    assert org_tree().route("150782", None).code == "150700"


def test_erenhot_is_reviewed_by_its_own_bureau_not_xilingol() -> None:
    assert org_tree().route("152501", None).code == "152501"
    assert org_tree().route("152502", None).code == "152500"


@pytest.mark.parametrize(
    ("zone", "region"),
    [("htz-baotou", "150203"), ("htz-hohhot", "150105"), ("htz-ordos", "150602")],
)
def test_an_enterprise_in_a_high_tech_zone_goes_to_the_zone_committee(
    zone: str, region: str
) -> None:
    routed = org_tree().route(region, zone)
    assert routed.code == zone
    assert routed.kind is OrgKind.HIGH_TECH_ZONE


@pytest.mark.parametrize("region", ["110105", "1501", "15010A", "150005", "153001"])
def test_regions_outside_every_agency_area_are_refused(region: str) -> None:
    with pytest.raises(UnknownRegion):
        org_tree().route(region, None)


def test_unknown_zone_is_refused() -> None:
    with pytest.raises(UnknownZone):
        org_tree().route("150105", "htz-nowhere")


def test_a_zone_does_not_excuse_a_region_outside_the_province() -> None:
    with pytest.raises(UnknownRegion):
        org_tree().route("110105", "htz-hohhot")


def test_the_province_is_not_an_agency() -> None:
    assert not org_tree().is_agency("150000")
    assert org_tree().is_agency("150100")
    assert org_tree().is_agency("htz-ordos")


@pytest.mark.parametrize(
    ("zone", "region"),
    [
        ("htz-baotou", "150402"),
        ("htz-hohhot", "150203"),
        ("htz-ordos", "150105"),
        ("htz-hohhot", "150781"),
    ],
)
def test_a_zone_outside_the_enterprises_league_or_city_is_refused(zone: str, region: str) -> None:
    # domain.md §1: an enterprise of 赤峰 (1504xx) cannot route itself to htz-baotou.
    assert not org_tree().zone_holds_region(zone, region)
    with pytest.raises(ZoneOutsideRegion):
        org_tree().route(region, zone)
