"""Statistics, needs and tiers over a small known data set (real PostgreSQL).

Four enterprises registered on 2026-01-10 (Q1..Q4 owed):
  A 150105 I6513 (Hohhot)   Q2 1.0M / R&D 100k / 10 staff, Q3 1.2M / 120k / 12 on time
  B 150105 C3911 (Hohhot)   Q2 2.0M / 100k / 20,            Q3 3.0M / 150k / 22 late
  C 150102 I6520 (Hohhot)   never reports
  D 150203 C3911 (Baotou)   Q2 0.5M / 10k / 5
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from openpyxl import load_workbook

from localdev.testing import Tokens
from shared.kernel.policy import shipped_policy
from tracking.domain.samples import sample_report

if TYPE_CHECKING:
    from conftest import Tracking

pytestmark = pytest.mark.integration


async def file(
    tracking: Tracking,
    tokens: Tokens,
    uscc: str,
    quarter: int,
    revenue: str,
    rd: str,
    employees: int,
    needs: list[str] = (),  # type: ignore[assignment]
) -> None:
    body = sample_report(
        operating_revenue=revenue,
        rd_expense=rd,
        employees=employees,
        st_personnel=1,
        needs=[{"category": c, "text": f"{c} 需求"} for c in needs],
    )
    response = await tracking.put_report(tokens.enterprise(uscc), 2026, quarter, body)
    assert response.status_code == 200, response.text


@pytest.fixture
async def data(tracking: Tracking, tokens: Tokens) -> dict[str, str]:
    a, b, c, d, f = (tracking.uscc(n) for n in range(300, 305))
    await tracking.register(a, region_code="150105", industry_code="I6513")
    await tracking.register(b, region_code="150105", industry_code="C3911")
    await tracking.register(c, region_code="150102", industry_code="I6520")
    await tracking.register(d, agency="150200", region_code="150203", industry_code="C3911")
    revoked = await tracking.register(f, region_code="150105")
    tracking.clock.set(datetime(2026, 7, 10, 2, tzinfo=UTC))
    await file(tracking, tokens, a, 2, "1000000", "100000", 10)
    await file(tracking, tokens, b, 2, "2000000", "100000", 20)
    await file(tracking, tokens, d, 2, "500000", "10000", 5, needs=["market"])
    await file(tracking, tokens, f, 2, "9000000", "900000", 50)
    tracking.clock.set(datetime(2026, 10, 10, 2, tzinfo=UTC))
    await file(tracking, tokens, a, 3, "1200000", "120000", 12, needs=["financing", "talent"])
    await tracking.revoke(f, revoked, date(2026, 9, 15))  # Q3 cancelled
    tracking.clock.set(datetime(2026, 11, 26, 2, tzinfo=UTC))
    await file(tracking, tokens, b, 3, "3000000", "150000", 22, needs=["financing"])
    detection = await tracking.http.post(
        "/api/v1/tracking/overdue-detection", headers=tokens.province()
    )
    assert detection.status_code == 200
    return {"a": a, "b": b, "c": c, "d": d, "f": f}


async def stats(tracking: Tracking, headers: dict[str, str], **params: Any) -> Any:
    response = await tracking.http.get(
        "/api/v1/tracking/statistics", params=params, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()


def by_group(items: list[dict[str, Any]], quarter: int) -> dict[str, dict[str, Any]]:
    return {i["group"]: i for i in items if i["quarter"] == quarter}


async def test_statistics_by_region_count_sum_take_medians_and_growth(
    tracking: Tracking, tokens: Tokens, data: dict[str, str]
) -> None:
    result = await stats(tracking, tokens.province(), year=2026, quarter=3, group_by="region")
    groups = by_group(result["items"], 3)
    assert set(groups) == {"150105", "150102", "150203"}
    hohhot = groups["150105"]  # A and B; F's Q3 was cancelled by its revocation
    assert (hohhot["obligated"], hohhot["submitted"], hohhot["on_time"], hohhot["late"]) == (
        2,
        2,
        1,
        1,
    )
    assert hohhot["on_time_rate"] == "0.5000"
    assert hohhot["sums"] == {"revenue": "4200000.00", "rd": "270000.00", "employees": "34"}
    assert hohhot["medians"]["revenue"] == "2100000.00"
    assert hohhot["medians"]["rd"] == "135000.00"
    assert Decimal(hohhot["medians"]["employees"]) == 17
    # Among A and B, who reported Q2 and Q3: 4.2M / 3.0M − 1.
    assert hohhot["growth"] == {"revenue": "0.4000", "rd": "0.3500", "employees": "0.1333"}

    silent = groups["150102"]
    assert (silent["obligated"], silent["submitted"], silent["overdue"]) == (1, 0, 1)
    assert silent["on_time_rate"] == "0.0000"
    assert silent["sums"]["revenue"] is None
    assert silent["growth"]["revenue"] is None
    baotou = groups["150203"]
    assert baotou["overdue"] == 1
    assert baotou["growth"]["revenue"] is None


async def test_a_year_without_quarter_gives_every_quarter(
    tracking: Tracking, tokens: Tokens, data: dict[str, str]
) -> None:
    result = await stats(tracking, tokens.province(), year=2026, group_by="region")
    assert {i["quarter"] for i in result["items"]} == {1, 2, 3, 4}
    q2 = by_group(result["items"], 2)["150105"]
    assert q2["obligated"] == 3  # A, B and F (its Q2 ended before the revocation)
    assert q2["on_time"] == 3
    assert q2["on_time_rate"] == "1.0000"
    q4 = by_group(result["items"], 4)["150105"]
    assert (q4["obligated"], q4["open"]) == (2, 2)


async def test_an_agency_sees_only_its_jurisdiction(
    tracking: Tracking, tokens: Tokens, data: dict[str, str]
) -> None:
    hohhot = await stats(tracking, tokens.agency("150100"), year=2026, quarter=3)
    assert {i["group"] for i in hohhot["items"]} == {"150105", "150102"}
    baotou = await stats(tracking, tokens.agency("150200"), year=2026, quarter=3, group_by="agency")
    assert [(i["group"], i["group_name"]) for i in baotou["items"]] == [("150200", "包头市科技局")]


async def test_statistics_by_industry_section_and_division(
    tracking: Tracking, tokens: Tokens, data: dict[str, str]
) -> None:
    sections = await stats(tracking, tokens.province(), year=2026, quarter=3, group_by="industry")
    assert {g: i["obligated"] for g, i in by_group(sections["items"], 3).items()} == {
        "I": 2,
        "C": 2,
    }
    divisions = await stats(
        tracking, tokens.province(), year=2026, quarter=2, group_by="industry_division"
    )
    c39 = by_group(divisions["items"], 2)["C39"]
    assert c39["sums"]["revenue"] == "2500000.00"
    assert c39["medians"]["revenue"] == "1250000.00"


async def test_statistics_export_as_an_excel_workbook(
    tracking: Tracking, tokens: Tokens, data: dict[str, str]
) -> None:
    response = await tracking.http.get(
        "/api/v1/tracking/statistics",
        params={"year": 2026, "quarter": 3, "format": "xlsx"},
        headers=tokens.province(),
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("行政区划代码", "年度", "季度", "报告义务企业数")
    assert rows[2][:4] == ("region code", "year", "quarter", "obligated")
    data_rows = {r[0]: r for r in rows[3:]}
    assert set(data_rows) == {"150105", "150102", "150203"}
    assert data_rows["150105"][3] == 2
    assert Decimal(str(data_rows["150105"][10])) == 4200000


async def test_statistics_are_for_bureaus_only_and_parameters_are_checked(
    tracking: Tracking, tokens: Tokens
) -> None:
    forbidden = await tracking.http.get(
        "/api/v1/tracking/statistics",
        params={"year": 2026},
        headers=tokens.enterprise(tracking.uscc(399)),
    )
    assert forbidden.status_code == 403
    bad = await tracking.http.get(
        "/api/v1/tracking/statistics",
        params={"year": 2026, "group_by": "mood", "format": "pdf"},
        headers=tokens.province(),
    )
    assert bad.status_code == 422
    locs = [d["loc"] for d in bad.json()["error"]["details"]]
    assert ["query", "group_by"] in locs
    assert ["query", "format"] in locs
    missing = await tracking.http.get("/api/v1/tracking/statistics", headers=tokens.province())
    assert missing.status_code == 422


async def test_needs_are_counted_by_region_and_category(
    tracking: Tracking, tokens: Tokens, data: dict[str, str]
) -> None:
    response = await tracking.http.get(
        "/api/v1/tracking/needs", params={"year": 2026, "quarter": 3}, headers=tokens.province()
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert [
        (i["group"], i["category"], i["entries"], i["enterprises"]) for i in result["items"]
    ] == [
        ("150105", "financing", 2, 2),
        ("150105", "talent", 1, 1),
    ]
    assert result["items"][0]["category_label"] == "融资需求"
    assert result["by_category"] == {
        "financing": 2,
        "talent": 1,
        "technology": 0,
        "market": 0,
        "policy": 0,
    }
    baotou = await tracking.http.get(
        "/api/v1/tracking/needs",
        params={"year": 2026, "group_by": "agency"},
        headers=tokens.agency("150200"),
    )
    assert [(i["group"], i["category"]) for i in baotou.json()["items"]] == [("150200", "market")]


async def tiers(tracking: Tracking, headers: dict[str, str], **params: Any) -> Any:
    response = await tracking.http.get("/api/v1/tracking/tiers", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_tiers_classify_the_years_registered_enterprises_with_their_figures(
    tracking: Tracking, tokens: Tokens, data: dict[str, str]
) -> None:
    result = await tiers(tracking, tokens.province(), year=2026)
    by_uscc = {i["uscc"]: i for i in result["items"]}
    assert data["f"] not in by_uscc  # revoked
    assert {
        u: by_uscc[data[k]]["tier"]["code"]
        for k, u in [("a", "a"), ("b", "b"), ("c", "c"), ("d", "d")]
    } == {
        "a": "leading",
        "b": "growing",
        "c": "basic",
        "d": "basic",
    }
    a = by_uscc[data["a"]]["figures"]
    assert a == {
        "quarters": 2,
        "first_quarter": "2026Q2",
        "last_quarter": "2026Q3",
        "rd_expense": "220000.00",
        "operating_revenue": "2200000.00",
        "earliest_revenue": "1000000.00",
        "latest_revenue": "1200000.00",
        "rd_intensity": "0.1000",
        "revenue_growth": "0.2000",
    }
    assert by_uscc[data["c"]]["figures"]["rd_intensity"] is None
    assert by_uscc[data["d"]]["figures"]["revenue_growth"] is None  # one quarter only
    # Strongest tier first.
    assert [i["tier"]["rank"] for i in result["items"]] == sorted(
        i["tier"]["rank"] for i in result["items"]
    )
    assert {t["code"]: t["enterprises"] for t in result["tiers"]} == {
        "leading": 1,
        "growing": 1,
        "basic": 2,
    }


async def test_the_shown_figures_are_exactly_what_the_policy_classifies(
    tracking: Tracking, tokens: Tokens, data: dict[str, str]
) -> None:
    policy = shipped_policy(2026).tracking
    for item in (await tiers(tracking, tokens.province(), year=2026))["items"]:
        figures = item["figures"]
        rd = figures["rd_intensity"] and Decimal(figures["rd_intensity"])
        growth = figures["revenue_growth"] and Decimal(figures["revenue_growth"])
        assert policy.tier_for(rd, growth).code == item["tier"]["code"]


async def test_tiers_filter_scope_and_paginate(
    tracking: Tracking, tokens: Tokens, data: dict[str, str]
) -> None:
    leading = await tiers(tracking, tokens.province(), year=2026, tier="leading")
    assert [i["uscc"] for i in leading["items"]] == [data["a"]]
    baotou = await tiers(tracking, tokens.agency("150200"), year=2026)
    assert [i["uscc"] for i in baotou["items"]] == [data["d"]]
    unknown = await tracking.http.get(
        "/api/v1/tracking/tiers",
        params={"year": 2026, "tier": "unknown"},
        headers=tokens.province(),
    )
    assert unknown.status_code == 422

    first = await tiers(tracking, tokens.province(), year=2026, limit=3)
    assert len(first["items"]) == 3
    assert first["next_cursor"]
    rest = await tiers(tracking, tokens.province(), year=2026, limit=3, cursor=first["next_cursor"])
    assert len(rest["items"]) == 1
    seen = [i["uscc"] for i in first["items"] + rest["items"]]
    assert sorted(seen) == sorted(data[k] for k in "abcd")

    forbidden = await tracking.http.get(
        "/api/v1/tracking/tiers", params={"year": 2026}, headers=tokens.enterprise(data["a"])
    )
    assert forbidden.status_code == 403


async def test_growth_of_a_first_quarter_compares_with_the_previous_years_fourth(
    tracking: Tracking, tokens: Tokens
) -> None:
    """Hand-computed, across the year boundary and two registrations:
    X  2025 Q4 1.00M (2025 registration), 2026 Q1 1.25M on time
    Y  2026 Q1 5.00M on time (registered in 2026 only: no growth)
    Z  2026 Q1 2.00M late
    Q1 2026: obligated 3, on time 2 → rate 2/3 = 0.6667; revenue sum 8.25M, median of
    (1.25M, 2M, 5M) = 2M; growth among X alone = 1.25 / 1.00 − 1 = 0.25."""
    x, y, z = (tracking.uscc(n) for n in (310, 311, 312))
    await tracking.register(
        x, year=2025, registered_on=date(2025, 10, 5), valid_until=date(2025, 12, 31)
    )
    for uscc in (x, y, z):
        await tracking.register(uscc, registered_on=date(2026, 1, 10))

    async def report(uscc: str, year: int, quarter: int, revenue: str) -> None:
        body = sample_report(operating_revenue=revenue, rd_expense="10000", st_personnel=1)
        response = await tracking.put_report(tokens.enterprise(uscc), year, quarter, body)
        assert response.status_code == 200, response.text

    tracking.clock.set(datetime(2026, 1, 12, 2, tzinfo=UTC))
    await report(x, 2025, 4, "1000000")
    tracking.clock.set(datetime(2026, 4, 10, 2, tzinfo=UTC))
    await report(x, 2026, 1, "1250000")
    await report(y, 2026, 1, "5000000")
    tracking.clock.set(datetime(2026, 4, 20, 2, tzinfo=UTC))
    await report(z, 2026, 1, "2000000")

    result = await stats(tracking, tokens.province(), year=2026, quarter=1)
    (q1,) = result["items"]
    assert (q1["group"], q1["year"], q1["quarter"]) == ("150105", 2026, 1)
    assert (q1["obligated"], q1["submitted"], q1["on_time"], q1["late"]) == (3, 3, 2, 1)
    assert q1["on_time_rate"] == "0.6667"
    assert q1["sums"]["revenue"] == "8250000.00"
    assert q1["medians"]["revenue"] == "2000000.00"
    assert q1["growth"] == {"revenue": "0.2500", "rd": "0.0000", "employees": "0.0000"}
