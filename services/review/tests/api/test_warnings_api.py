"""Warnings that need what review keeps: other enterprises' claims this year, the same
enterprise's previous-year case, the credit archive (domain.md §6)."""

from __future__ import annotations

from datetime import date

import pytest

from localdev.testing import Tokens
from shared.kernel.events.payloads.intake import ApplicationWithdrawn
from shared.kernel.events.payloads.supervision import CreditRecorded

from ..conftest import Review, form_document, on, uscc

pytestmark = pytest.mark.integration


def codes(case: dict[str, object]) -> list[tuple[str, bool]]:
    warnings = case["warnings"]
    assert isinstance(warnings, list)
    return sorted((w["code"], w["resolved"]) for w in warnings)


async def test_the_same_ip_claimed_by_two_enterprises_warns_on_both_cases(
    review: Review, tokens: Tokens
) -> None:
    shared_ip = {"ip.0.number": "ZL202199999999.1"}
    first = await review.submit(form_document(21, shared_ip))
    province = tokens.province()
    assert codes(await review.case_of(first, province)) == []
    # The second claimant is in Baotou; the number is written differently.
    second = await review.submit(
        form_document(22, {"ip.0.number": "zl 2021 9999 9999.1"}, region="150203")
    )
    newer = await review.case_of(second, province)
    older = await review.case_of(first, province)
    assert codes(newer) == [("duplicate_ip", False)]
    assert codes(older) == [("duplicate_ip", False)]
    assert older["warnings"][0]["data"]["other_enterprises"] == [uscc(22, "150203")]

    # The second enterprise withdraws: the older case's warning clears.
    await review.deliver(
        ApplicationWithdrawn(application_id=second, year=2026, uscc=uscc(22, "150203"))
    )
    assert codes(await review.case_of(first, province)) == [("duplicate_ip", True)]


async def test_a_contact_on_five_enterprises_warns_on_all_five(
    review: Review, tokens: Tokens
) -> None:
    phone = {"enterprise.contact.phone": "13912345678"}
    ids = [await review.submit(form_document(n, phone)) for n in range(31, 35)]
    province = tokens.province()
    assert [codes(await review.case_of(i, province)) for i in ids] == [[]] * 4
    ids.append(
        await review.submit(form_document(35, {"enterprise.contact.phone": "139-1234-5678"}))
    )
    for application_id in ids:
        case = await review.case_of(application_id, province)
        assert codes(case) == [("shared_contact", False)], case["warnings"]
        assert case["warnings"][0]["data"]["enterprises"] == 5
        # The warning does not repeat the phone number itself.
        assert "13912345678" not in str(case["warnings"])


async def test_a_large_jump_against_last_years_application_warns(
    review: Review, tokens: Tokens
) -> None:
    last_year = form_document(
        41,
        {
            "year": 2025,
            "finance.rd_expense_total": "300000.00",
            "ip.0.granted_on": "2022-08-09",
        },
    )
    await review.submit(last_year, at=on(date(2025, 6, 16)))
    this_year = await review.submit(form_document(41))
    case = await review.case_of(this_year, tokens.province())
    assert codes(case) == [("jump_vs_previous_year", False), ("jump_vs_previous_year", False)]
    assert {w["data"]["metric"] for w in case["warnings"]} == {"rd_ratio_sales", "rd_ratio_cost"}


async def test_a_credit_listing_blocks_the_open_case_and_its_closing_clears_it(
    review: Review, tokens: Tokens
) -> None:
    code = uscc(51)
    app_id = await review.submit(form_document(51))
    agency = tokens.agency("150100")
    listing = CreditRecorded(
        uscc=code,
        kind="abnormal_operation",
        source="market_supervision",
        starts_on=date(2026, 3, 1),
        entry_id="samr-1",
    )
    await review.deliver(listing)
    case = await review.case_of(app_id, agency)
    assert codes(case) == [("credit_record", False)]
    assert case["warnings"][0]["severity"] == "block"
    assert case["score"]["eligible"] is False  # recomputed with the known credit record
    blocked = await review.http.post(
        f"/api/v1/review-cases/{case['id']}/decision", json={"decision": "approve"}, headers=agency
    )
    assert blocked.status_code == 409

    # Removed from the list with an end date before the lookback period: no longer relevant.
    await review.deliver(
        listing.model_copy(update={"starts_on": date(2023, 3, 1), "ends_on": date(2024, 6, 1)})
    )
    case = await review.case_of(app_id, agency)
    assert codes(case) == [("credit_record", True)]
    approved = await review.http.post(
        f"/api/v1/review-cases/{case['id']}/decision", json={"decision": "approve"}, headers=agency
    )
    assert approved.status_code == 200, approved.text


async def test_a_new_submission_checks_the_stored_credit_records(
    review: Review, tokens: Tokens
) -> None:
    # As supervision files an incident: kind `major_incident`, what it was in `detail`.
    await review.deliver(
        CreditRecorded(
            uscc=uscc(52),
            kind="major_incident",
            detail="safety",
            source="incident_authority",
            starts_on=date(2025, 8, 1),
            ends_on=date(2025, 8, 1),
            entry_id="incident-52",
        )
    )
    app_id = await review.submit(form_document(52))
    case = await review.case_of(app_id, tokens.province())
    assert codes(case) == [("credit_record", False)]
    assert "major safety accident" in case["warnings"][0]["message_en"]
    assert "重大安全事故" in case["warnings"][0]["message"]
    assert case["score"]["eligible"] is False


async def test_a_substantiated_complaint_or_a_revocation_for_a_failed_spot_check_does_not_block(
    review: Review, tokens: Tokens
) -> None:
    # Supervision's archive also keeps these; neither is a listing or an incident (§6), and
    # an enterprise revoked last year may apply again this year (§7).
    code = uscc(53)
    for kind, detail in (("substantiated_case", "complaint"), ("revocation", "failed_spot_check")):
        await review.deliver(
            CreditRecorded(
                uscc=code,
                kind=kind,
                detail=detail,
                source="supervision",
                starts_on=date(2025, 9, 1),
                entry_id=f"{kind}-53",
            )
        )
    app_id = await review.submit(form_document(53))
    case = await review.case_of(app_id, tokens.province())
    assert codes(case) == []
    assert case["score"]["eligible"] is True
    # A revocation for serious fraud is an art. 6(4) fact: it blocks.
    await review.deliver(
        CreditRecorded(
            uscc=code,
            kind="revocation",
            detail="serious_fraud",
            source="supervision",
            starts_on=date(2025, 10, 1),
            entry_id="revocation-53-fraud",
        )
    )
    assert codes(await review.case_of(app_id, tokens.province())) == [("credit_record", False)]


async def test_a_lifted_listing_is_not_reopened_by_its_older_event_replayed_late(
    review: Review, tokens: Tokens
) -> None:
    code = uscc(54)
    app_id = await review.submit(form_document(54))
    listed = CreditRecorded(
        uscc=code,
        kind="abnormal_operation",
        source="market_supervision",
        starts_on=date(2024, 1, 1),
        entry_id="samr-54",
    )
    lifted = listed.model_copy(update={"ends_on": date(2024, 2, 1)})
    # The listing first failed and went to the dead letters, its removal was handled, then
    # the listing is replayed: the interval stays closed (before the lookback period).
    await review.deliver(lifted)
    await review.deliver(listed)
    case = await review.case_of(app_id, tokens.agency("150100"))
    assert codes(case) == []
    assert case["score"]["eligible"] is True
