from __future__ import annotations

import copy
from typing import Any

import pytest

pytestmark = pytest.mark.integration

POLICY_EDITS = [
    lambda d: d.update(version=10**30),
    lambda d: d.update(version="abc"),
    lambda d: d.update(version=None),
    lambda d: d.pop("version"),
    lambda d: d.update(calendar={"abc": {}}),
    lambda d: d.update(calendar={"2027": {"holidays": ["2027-01-01"], "workdays": []}}),
    lambda d: d.update(calendar={"1": {}}),
    lambda d: d.update(calendar=[1]),
    lambda d: d["window"].update(opens_on="0001-01-01"),
    lambda d: d["scoring"].update(pass_score=10**40),
    lambda d: d["eligibility"]["size_limits"].update(sales_revenue_max="1e400"),
    lambda d: d["eligibility"]["size_limits"].update(sales_revenue_max="NaN"),
    lambda d: d.update(year=2026.5),
    lambda d: d.update(evaluation_date={"rule": "fixed_date", "fixed_date": "2026-07-01"}),
]


@pytest.mark.parametrize("i", range(len(POLICY_EDITS)))
async def test_probe_policy(client: Any, tokens: Any, i: int) -> None:
    doc = (await client.get("/api/v1/policy/2026")).json()
    d = copy.deepcopy(doc)
    POLICY_EDITS[i](d)
    r = await client.put("/api/v1/policy/2026", json=d, headers=tokens.province())
    print(i, r.status_code, r.text[:400])
    assert r.status_code < 500
    g = await client.get("/api/v1/policy/2026")
    assert g.status_code == 200
    if r.status_code == 200:
        # round trip again
        r2 = await client.put("/api/v1/policy/2026", json=g.json(), headers=tokens.province())
        print("again", r2.status_code, r2.text[:300])
        assert r2.status_code == 200


FORM_EDITS = [
    {"personnel.employees_total": 0, "personnel.st_personnel": 0},
    {"finance.sales_revenue": 0, "finance.cost_expense_total": 0, "rd_ratio_choice": "sales"},
    {"finance.sales_revenue": "0.001"},
    {"finance.sales_revenue": 1e308},
    {"finance.sales_revenue": "9999999999999.99", "finance.rd_expense_total": "9999999999999.99"},
    {"enterprise.established_on": "0001-01-01"},
    {"ip.0.granted_on": "9999-12-31", "ip.0.valid_until": "9999-12-31"},
    {"fast_track.0.issued_on": "0001-01-01", "fast_track.0.valid_until": "9999-12-31"},
    {"year": 2030},
    {"year": 2019},
    {"enterprise.industry_code": "C"},
    {"enterprise.contact.email": None},
]


@pytest.mark.parametrize("i", range(len(FORM_EDITS)))
async def test_probe_forms(filing: Any, i: int) -> None:
    form = filing.form_of(200 + i, FORM_EDITS[i])
    r = await filing.client.post("/api/v1/evaluations/preview", json=form)
    print(i, "preview", r.status_code, r.text[:300])
    assert r.status_code < 500
    r = await filing.client.post(
        "/api/v1/applications", json=form, headers=filing.as_enterprise(200 + i)
    )
    print(i, "create", r.status_code, r.text[:200])
    assert r.status_code < 500
    if r.status_code == 201:
        s = await filing.client.post(
            f"/api/v1/applications/{r.json()['id']}/submit", headers=filing.as_enterprise(200 + i)
        )
        print(i, "submit", s.status_code, s.text[:600])
        assert s.status_code < 500
