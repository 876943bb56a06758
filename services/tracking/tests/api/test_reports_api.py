"""Filing quarterly reports: on time, replaced, late, refused (real PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import pytest

from localdev.testing import Tokens
from tracking.domain.samples import sample_report

if TYPE_CHECKING:
    from conftest import Tracking

pytestmark = pytest.mark.integration

SUBMITTED = "cn.sme.tracking.submitted.v1"


body = sample_report


async def put(
    tracking: Tracking, headers: dict[str, str], year: int, quarter: int, report: Any
) -> Any:
    return await tracking.put_report(headers, year, quarter, report)


async def state_of(tracking: Tracking, tokens: Tokens, uscc: str, year: int, quarter: int) -> str:
    response = await tracking.http.get(
        "/api/v1/obligations",
        params={"year": year, "quarter": quarter},
        headers=tokens.enterprise(uscc),
    )
    (item,) = response.json()["items"]
    return str(item["state"])


async def test_a_report_before_the_due_date_is_submitted_and_announced(
    tracking: Tracking, tokens: Tokens
) -> None:
    uscc = tracking.uscc(100)
    await tracking.register(uscc)
    response = await put(tracking, tokens.enterprise(uscc), 2026, 4, body())
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["state"] == "submitted"
    assert report["late"] is False
    assert report["operating_revenue"] == "3200000.00"
    assert report["total_profit"] == "-150000.50"
    assert report["taxes_paid"] == "96000.00"
    assert report["employees"] == 48
    assert report["due_on"] == "2027-01-15"
    assert await state_of(tracking, tokens, uscc, 2026, 4) == "submitted"
    events = await tracking.events(SUBMITTED)
    assert [(e["uscc"], e["year"], e["quarter"], e["late"]) for e in events] == [
        (uscc, 2026, 4, False)
    ]


async def test_a_report_is_replaceable_until_its_due_date(
    tracking: Tracking, tokens: Tokens
) -> None:
    uscc = tracking.uscc(101)
    await tracking.register(uscc)
    headers = tokens.enterprise(uscc)
    await put(tracking, headers, 2026, 4, body())
    tracking.clock.set(datetime(2027, 1, 15, 15, 0, tzinfo=UTC))  # 23:00 in Beijing, due day
    replaced = await put(tracking, headers, 2026, 4, body(operating_revenue="3300000"))
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["revision"] == 2
    assert replaced.json()["operating_revenue"] == "3300000.00"
    assert replaced.json()["state"] == "submitted"

    tracking.clock.set(datetime(2027, 1, 15, 16, 0, tzinfo=UTC))  # 00:00 on 16 January
    too_late = await put(tracking, headers, 2026, 4, body())
    assert too_late.status_code == 409
    assert too_late.json()["error"]["code"] == "report_not_replaceable"


async def test_a_report_after_the_due_date_is_accepted_once_and_marked_late(
    tracking: Tracking, tokens: Tokens
) -> None:
    uscc = tracking.uscc(102)
    await tracking.register(uscc)
    headers = tokens.enterprise(uscc)
    late = await put(tracking, headers, 2026, 3, body())  # Q3 was due 2026-10-15
    assert late.status_code == 200, late.text
    assert late.json()["state"] == "late"
    assert late.json()["late"] is True
    again = await put(tracking, headers, 2026, 3, body())
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "late_report_already_filed"
    assert [e["late"] for e in await tracking.events(SUBMITTED)] == [True]


async def test_an_overdue_obligation_reported_later_becomes_late(
    tracking: Tracking, tokens: Tokens
) -> None:
    uscc = tracking.uscc(103)
    await tracking.register(uscc)
    detection = await tracking.http.post(
        "/api/v1/tracking/overdue-detection", headers=tokens.province()
    )
    assert detection.status_code == 200
    assert await state_of(tracking, tokens, uscc, 2026, 2) == "overdue"
    response = await put(tracking, tokens.enterprise(uscc), 2026, 2, body())
    assert response.status_code == 200, response.text
    assert await state_of(tracking, tokens, uscc, 2026, 2) == "late"


async def test_a_quarter_without_obligation_is_409(tracking: Tracking, tokens: Tokens) -> None:
    uscc = tracking.uscc(104)
    await tracking.register(uscc, registered_on=date(2026, 7, 1))
    response = await put(tracking, tokens.enterprise(uscc), 2026, 1, body())
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "no_reporting_obligation"
    unknown = await put(tracking, tokens.enterprise(tracking.uscc(105)), 2026, 4, body())
    assert unknown.status_code == 409


async def test_a_quarter_that_has_not_started_cannot_be_reported(
    tracking: Tracking, tokens: Tokens
) -> None:
    uscc = tracking.uscc(106)
    await tracking.register(uscc, valid_until=date(2027, 6, 30))
    response = await put(tracking, tokens.enterprise(uscc), 2027, 1, body())
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "quarter_not_started"


@pytest.mark.parametrize(
    ("report", "loc", "kind"),
    [
        (body(taxes_paid="-1"), ["body", "taxes_paid"], "greater_than_equal"),
        (body(employees=-3), ["body", "employees"], "greater_than_equal"),
        (body(st_personnel=49), ["body", "st_personnel"], "figure_exceeds"),
        (body(export_revenue="3200000.01"), ["body", "export_revenue"], "figure_exceeds"),
        (
            body(operating_revenue="99999999999"),
            ["body", "operating_revenue"],
            "implausible_magnitude",
        ),
        (body(employees=600000, st_personnel=1), ["body", "employees"], "implausible_magnitude"),
        (body(rd_expense="1.005"), ["body", "rd_expense"], "decimal_max_places"),
        (body(interns=3), ["body", "interns"], "extra_forbidden"),
        (body(ip_granted=None), ["body", "ip_granted"], "missing"),
        (
            body(needs=[{"category": "luck", "text": "x"}]),
            ["body", "needs", 0, "category"],
            "enum",
        ),
        (
            body(needs=[{"category": "talent", "text": "  "}]),
            ["body", "needs", 0, "text"],
            "string_too_short",
        ),
    ],
)
async def test_an_invalid_body_is_422_with_the_field_path_in_both_languages(
    tracking: Tracking, tokens: Tokens, report: dict[str, Any], loc: list[Any], kind: str
) -> None:
    uscc = tracking.uscc(110)
    await tracking.register(uscc)
    response = await put(tracking, tokens.enterprise(uscc), 2026, 4, report)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["message"]
    assert error["message_en"]
    (detail,) = [d for d in error["details"] if d["loc"] == loc]
    assert detail["type"] == kind
    assert detail["msg"]
    assert detail["msg_en"]
    assert detail["msg"] != detail["msg_en"]
    assert await tracking.events(SUBMITTED) == []


async def test_a_body_that_is_not_an_object_is_422(tracking: Tracking, tokens: Tokens) -> None:
    uscc = tracking.uscc(111)
    await tracking.register(uscc)
    response = await put(tracking, tokens.enterprise(uscc), 2026, 4, [1, 2])
    assert response.status_code == 422


async def test_profit_may_be_negative_and_money_may_be_a_json_number(
    tracking: Tracking, tokens: Tokens
) -> None:
    uscc = tracking.uscc(112)
    await tracking.register(uscc)
    response = await put(
        tracking, tokens.enterprise(uscc), 2026, 4, body(total_profit=-12.5, rd_expense=1000)
    )
    assert response.status_code == 200, response.text
    assert response.json()["total_profit"] == "-12.50"
    assert response.json()["rd_expense"] == "1000.00"


async def test_only_the_enterprise_files_its_report(tracking: Tracking, tokens: Tokens) -> None:
    uscc = tracking.uscc(113)
    await tracking.register(uscc)
    for headers in (tokens.agency("150100"), tokens.province(), tokens.external()):
        assert (await put(tracking, headers, 2026, 4, body())).status_code == 403


async def test_the_year_and_quarter_in_the_path_are_bounded(
    tracking: Tracking, tokens: Tokens
) -> None:
    headers = tokens.enterprise(tracking.uscc(114))
    assert (await put(tracking, headers, 2026, 5, body())).status_code == 422
    assert (await put(tracking, headers, 1999, 1, body())).status_code == 422


async def test_reports_are_listed_in_scope_and_filtered_by_region(
    tracking: Tracking, tokens: Tokens
) -> None:
    hohhot, baotou = tracking.uscc(120), tracking.uscc(121)
    await tracking.register(hohhot, agency="150100", region_code="150105")
    await tracking.register(baotou, agency="150200", region_code="150203")
    needs = [{"category": "financing", "text": "希望对接科技信贷"}]
    for uscc in (hohhot, baotou):
        response = await put(tracking, tokens.enterprise(uscc), 2026, 4, body(needs=needs))
        assert response.status_code == 200, response.text

    async def listed(headers: dict[str, str], **params: Any) -> set[str]:
        response = await tracking.http.get(
            "/api/v1/quarterly-reports", params=params, headers=headers
        )
        assert response.status_code == 200, response.text
        return {i["uscc"] for i in response.json()["items"]}

    assert await listed(tokens.enterprise(hohhot)) == {hohhot}
    assert await listed(tokens.agency("150200")) == {baotou}
    assert await listed(tokens.province()) == {hohhot, baotou}
    assert await listed(tokens.province(), region="1502") == {baotou}
    assert await listed(tokens.province(), region="150105", year=2026, quarter=4) == {hohhot}
    assert await listed(tokens.province(), quarter=3) == set()

    own = await tracking.http.get(
        "/api/v1/quarterly-reports/2026/4", headers=tokens.enterprise(hohhot)
    )
    assert own.status_code == 200
    assert own.json()["needs"] == needs
    foreign = await tracking.http.get(
        "/api/v1/quarterly-reports/2026/4",
        params={"uscc": baotou},
        headers=tokens.agency("150100"),
    )
    assert foreign.status_code == 404
