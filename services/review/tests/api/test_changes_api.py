"""Changes after registration (重大变化报告, contract § Round 2): a name change reaches the
registry and the next public notice; late reports are accepted and flagged; the event."""

from __future__ import annotations

from datetime import date

import pytest

from localdev.testing import Tokens
from shared.kernel.events.payloads.supervision import RevocationDecided

from ..conftest import Review, approved_case, uscc

pytestmark = pytest.mark.integration

BATCHES = "/api/v1/publicity-batches"
NEW_NAME = "内蒙古新名称科技有限公司"


async def _registered(review: Review, tokens: Tokens, n: int) -> str:
    case_id = await approved_case(review, tokens, n)
    batch = (
        await review.http.post(
            BATCHES,
            json={"year": 2026, "case_ids": [case_id], "starts_on": "2026-05-06"},
            headers=tokens.province(),
        )
    ).json()
    announced = await review.http.post(
        f"{BATCHES}/{batch['id']}/announce", headers=tokens.province()
    )
    [entry] = [e for e in announced.json()["entries"] if e["registration_number"]]
    return str(entry["registration_number"])


async def test_a_name_change_reaches_the_registry_and_the_next_public_notice(
    review: Review, tokens: Tokens
) -> None:
    number = await _registered(review, tokens, 101)
    url = f"/api/v1/registrations/{number}/changes"
    owner = tokens.enterprise(uscc(101))
    body = {"kind": "name", "new_value": NEW_NAME, "effective_on": "2026-05-20"}
    stranger = await review.http.post(url, json=body, headers=tokens.enterprise(uscc(102)))
    assert stranger.status_code == 404
    reported = await review.http.post(url, json=body, headers=owner)
    assert reported.status_code == 201, reported.text
    change = reported.json()
    assert (change["old_value"], change["new_value"], change["late"]) == (
        "内蒙古测试科技101有限公司",
        NEW_NAME,
        False,
    )
    assert change["report_due_on"] == "2026-08-20"
    [event] = await review.emitted("cn.sme.registration.changed.v1")
    assert (event["kind"], event["new_value"], event["_key"]) == ("name", NEW_NAME, uscc(101))

    registry = await review.http.get("/api/v1/registrations?year=2026", headers=tokens.province())
    assert [r["enterprise_name"] for r in registry.json()["items"]] == [NEW_NAME]
    # The next public notice (here: a revocation) names the enterprise by its new name.
    await review.deliver(
        RevocationDecided(
            number=number,
            uscc=uscc(101),
            year=2026,
            ground="no_longer_eligible",
            basis="规模变化",
            decided_on=date(2026, 7, 1),
        )
    )
    notices = (await review.http.get("/api/v1/public/notices?kind=revocation")).json()
    assert notices["items"][0]["entries"][0]["enterprise_name"] == NEW_NAME

    listed = await review.http.get(url, headers=tokens.agency("150100"))
    assert [c["id"] for c in listed.json()["items"]] == [change["id"]]
    assert (await review.http.get(url, headers=tokens.agency("150200"))).status_code == 404
    assert (await review.http.get(url, headers=owner)).status_code == 200
    assert (await review.http.get(url, headers=tokens.province())).status_code == 200


async def test_a_late_report_is_accepted_and_flagged_and_bad_input_refused(
    review: Review, tokens: Tokens
) -> None:
    number = await _registered(review, tokens, 103)
    url = f"/api/v1/registrations/{number}/changes"
    owner = tokens.enterprise(uscc(103))
    # Today is 15 June 2026: a change of 14 March was due by 14 June.
    late = await review.http.post(
        url,
        json={"kind": "size", "new_value": "职工620人", "effective_on": "2026-03-14"},
        headers=owner,
    )
    assert late.status_code == 201, late.text
    assert (late.json()["late"], late.json()["report_due_on"]) == (True, "2026-06-14")
    in_time = await review.http.post(
        url,
        json={"kind": "other", "new_value": "法定代表人变更", "effective_on": "2026-03-15"},
        headers=owner,
    )
    assert in_time.json()["late"] is False
    for bad, loc in (
        ({"kind": "colour", "new_value": "x", "effective_on": "2026-03-15"}, ["body", "kind"]),
        (
            {"kind": "name", "new_value": "x", "effective_on": "2027-01-01"},
            ["body", "effective_on"],
        ),
        ({"kind": "name", "new_value": "", "effective_on": "2026-03-15"}, ["body", "new_value"]),
    ):
        refused = await review.http.post(url, json=bad, headers=owner)
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["details"][0]["loc"] == loc
    assert (
        await review.http.post(url, json=bad, headers=tokens.agency("150100"))
    ).status_code == 403
