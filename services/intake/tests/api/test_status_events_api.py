"""The application's status follows review's events (delivered through the consumer path:
CloudEvent, handler registry, inbox) and is read back through the API."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest

from shared.kernel.events.payloads.review import (
    PublicityEntry,
    PublicityStarted,
    RegistrationIssued,
    RegistrationRevoked,
    ReviewCaseOpened,
    ReviewDecided,
    SpotCheckFailed,
)

pytestmark = pytest.mark.integration

AT = datetime(2026, 7, 1, 3, 0, tzinfo=UTC)
CASE = str(uuid.uuid4())


def opened(app: dict[str, Any], round_: int = 1) -> ReviewCaseOpened:
    return ReviewCaseOpened(
        case_id=CASE,
        application_id=app["id"],
        year=2026,
        uscc=app["uscc"],
        agency="150100",
        opened_at=AT,
        round=round_,
    )


def decided(
    app: dict[str, Any], decision: str, reason: str | None = None, round_: int = 1
) -> ReviewDecided:
    return ReviewDecided(
        case_id=CASE,
        application_id=app["id"],
        year=2026,
        uscc=app["uscc"],
        decision=decision,  # type: ignore[arg-type]
        reason=reason,
        agency="150100",
        decided_at=AT,
        round=round_,
    )


def publicity(*apps: dict[str, Any], with_ids: bool = True) -> PublicityStarted:
    return PublicityStarted(
        batch_id=str(uuid.uuid4()),
        year=2026,
        starts_on=date(2026, 7, 6),
        ends_on=date(2026, 7, 17),
        entries=[
            PublicityEntry(
                uscc=a["uscc"],
                name="内蒙古示例科技有限公司",
                agency="150100",
                application_id=a["id"] if with_ids else None,
            )
            for a in apps
        ],
    )


def issued(app: dict[str, Any], number: str = "2026150105A0000001") -> RegistrationIssued:
    return RegistrationIssued(
        number=number,
        uscc=app["uscc"],
        year=2026,
        region_code="150105",
        agency="150100",
        valid_until=date(2026, 12, 31),
        registered_on=date(2026, 7, 20),
        application_id=app["id"],
    )


def revoked(
    uscc: str, number: str = "2026150105A0000001", application_id: str | None = None
) -> RegistrationRevoked:
    return RegistrationRevoked(
        number=number,
        uscc=uscc,
        year=2026,
        ground="failed_spot_check",
        revoked_on=date(2026, 12, 20),
        application_id=application_id,
    )


def statuses(app: dict[str, Any]) -> list[str]:
    return [t["status"] for t in app["timeline"]]


async def test_opened_case_puts_the_application_under_review(filing: Any, events: Any) -> None:
    app = await filing.submitted(40)
    assert await events.deliver(opened(app)) == "handled"
    assert (await filing.read(app, 40))["status"] == "under_review"


async def test_return_shows_the_reason_and_makes_it_editable_for_a_new_round(
    filing: Any, events: Any, emitted: Any
) -> None:
    app = await filing.submitted(41)
    await events.deliver(opened(app))
    await events.deliver(decided(app, "return", "请补充研发费用明细账"))

    returned = await filing.read(app, 41)
    assert returned["status"] == "returned"
    assert returned["editable"] is True
    assert returned["decision_reason"] == "请补充研发费用明细账"
    assert returned["timeline"][-1]["reason"] == "请补充研发费用明细账"

    edited = filing.form_of(41, {"personnel.st_personnel": 20})
    put = await filing.client.put(
        f"/api/v1/applications/{app['id']}", json=edited, headers=filing.as_enterprise(41)
    )
    assert put.status_code == 200, put.text
    resubmitted = await filing.submit(app, 41)
    assert resubmitted["round"] == 2
    assert resubmitted["decision_reason"] is None
    second = (await emitted.envelopes("cn.sme.application.submitted.v1"))[-1]["data"]
    assert second["round"] == 2
    assert second["form"]["personnel"]["st_personnel"] == 20

    await events.deliver(opened(app, round_=1))  # the old round's event, late: no effect
    assert (await filing.read(app, 41))["status"] == "submitted"
    await events.deliver(opened(app, round_=2))
    # The first round's decision redelivered under a new id after the resubmission: ignored.
    await events.deliver(decided(app, "return", "请补充研发费用明细账", round_=1))
    assert (await filing.read(app, 41))["status"] == "under_review"
    await events.deliver(decided(app, "approve", round_=2))
    final = await filing.read(app, 41)
    assert statuses(final) == [
        "draft",
        "submitted",
        "under_review",
        "returned",
        "submitted",
        "under_review",
        "approved",
    ]


async def test_a_corrected_zone_moves_the_application_when_review_reopens_the_case_there(
    filing: Any, events: Any, tokens: Any
) -> None:
    # Review routes the case it continues on resubmission from the resubmitted form. Until
    # then the agency that returned the case still holds it (and reads the application);
    # from the new round on, intake shows the application to the agency review named.
    app = await filing.submitted(58)
    await events.deliver(opened(app))
    await events.deliver(decided(app, "return", "企业位于金山高新区，请更正"))
    corrected = filing.form_of(58, {"enterprise.high_tech_zone": "htz-hohhot"})
    put = await filing.client.put(
        f"/api/v1/applications/{app['id']}", json=corrected, headers=filing.as_enterprise(58)
    )
    assert put.status_code == 200, put.text
    assert put.json()["agency"] == "150100"
    await filing.submit(app, 58)
    await events.deliver(opened(app, round_=2).model_copy(update={"agency": "htz-hohhot"}))
    url = f"/api/v1/applications/{app['id']}"
    assert (await filing.client.get(url, headers=tokens.agency("htz-hohhot"))).status_code == 200
    assert (await filing.client.get(url, headers=tokens.agency("150100"))).status_code == 404
    listed = await filing.client.get("/api/v1/applications", headers=tokens.agency("htz-hohhot"))
    assert [i["id"] for i in listed.json()["items"]] == [app["id"]]


async def test_the_application_follows_the_agency_review_opened_the_case_at(
    filing: Any, events: Any, tokens: Any, audit: Any
) -> None:
    app = await filing.submitted(59)
    event = opened(app).model_copy(update={"agency": "htz-hohhot"})
    assert await events.deliver(event) == "handled"
    url = f"/api/v1/applications/{app['id']}"
    current = await filing.client.get(url, headers=tokens.agency("htz-hohhot"))
    assert current.status_code == 200
    assert current.json()["agency"] == "htz-hohhot"
    assert current.json()["status"] == "under_review"
    assert (await filing.client.get(url, headers=tokens.agency("150100"))).status_code == 404
    [record] = await audit.records("application.routed")
    assert record["before"] == {"agency": "150100"}
    assert record["after"]["agency"] == "htz-hohhot"


async def test_the_whole_way_to_registration_and_revocation(filing: Any, events: Any) -> None:
    app = await filing.submitted(42)
    for event in (opened(app), decided(app, "approve"), publicity(app), issued(app)):
        assert await events.deliver(event) == "handled"
    registered = await filing.read(app, 42)
    assert registered["status"] == "registered"
    assert registered["registration_number"] == "2026150105A0000001"

    await events.deliver(revoked(app["uscc"], application_id=app["id"]))
    final = await filing.read(app, 42)
    assert final["status"] == "revoked"
    assert final["timeline"][-1]["reason"] == "failed_spot_check"
    assert statuses(final) == [
        "draft",
        "submitted",
        "under_review",
        "approved",
        "in_publicity",
        "registered",
        "revoked",
    ]


async def test_after_revocation_the_enterprise_cannot_apply_again_that_year(
    filing: Any, events: Any
) -> None:
    app = await filing.submitted(43)
    for event in (opened(app), decided(app, "approve"), issued(app), revoked(app["uscc"])):
        await events.deliver(event)
    again = await filing.client.post(
        "/api/v1/applications", json=filing.form_of(43), headers=filing.as_enterprise(43)
    )
    assert again.status_code == 409
    error = again.json()["error"]
    assert error["code"] == "registration_revoked_this_year"
    assert "2026150105A0000001" in error["message"]


async def test_a_revocation_without_an_application_here_still_bars_the_year(
    filing: Any, events: Any, uscc_of: Any, audit: Any
) -> None:
    assert await events.deliver(revoked(uscc_of(44), "2026150105A0000044")) == "handled"
    response = await filing.client.post(
        "/api/v1/applications", json=filing.form_of(44), headers=filing.as_enterprise(44)
    )
    assert response.status_code == 409
    # The bar is a write of intake's own: audited once, even if the event comes again.
    assert await events.deliver(revoked(uscc_of(44), "2026150105A0000044")) == "handled"
    [record] = await audit.records("enterprise.barred_after_revocation")
    assert record["actor_role"] == "system"
    assert record["entity_id"] == uscc_of(44)
    assert record["after"]["number"] == "2026150105A0000044"
    assert record["after"]["revoked_on"] == "2026-12-20"


async def test_a_draft_of_a_revoked_enterprise_cannot_be_submitted(
    filing: Any, events: Any, uscc_of: Any
) -> None:
    draft = await filing.create(45)
    await events.deliver(revoked(uscc_of(45), "2026150105A0000045"))
    response = await filing.client.post(
        f"/api/v1/applications/{draft['id']}/submit", headers=filing.as_enterprise(45)
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "registration_revoked_this_year"


async def test_late_events_from_other_topics_never_move_a_status_backwards(
    filing: Any, events: Any
) -> None:
    app = await filing.submitted(46)
    await events.deliver(opened(app))
    await events.deliver(issued(app))  # registration topic overtook review and publicity
    await events.deliver(publicity(app))
    await events.deliver(decided(app, "approve"))
    final = await filing.read(app, 46)
    assert final["status"] == "registered"
    assert statuses(final) == ["draft", "submitted", "under_review", "registered"]


async def test_publicity_then_late_approval_stays_in_publicity(filing: Any, events: Any) -> None:
    app = await filing.submitted(47)
    await events.deliver(opened(app))
    await events.deliver(publicity(app))
    await events.deliver(decided(app, "approve"))
    assert (await filing.read(app, 47))["status"] == "in_publicity"


async def test_a_held_case_rejected_after_publicity_is_rejected_with_the_reason(
    filing: Any, events: Any
) -> None:
    app = await filing.submitted(48)
    for event in (opened(app), decided(app, "approve"), publicity(app)):
        await events.deliver(event)
    await events.deliver(decided(app, "reject", "异议成立：研发费用不实"))
    final = await filing.read(app, 48)
    assert final["status"] == "rejected"
    assert final["decision_reason"] == "异议成立：研发费用不实"


async def test_after_a_rejection_a_new_application_may_be_made(filing: Any, events: Any) -> None:
    app = await filing.submitted(49)
    await events.deliver(opened(app))
    await events.deliver(decided(app, "reject", "材料不实"))
    again = await filing.client.post(
        "/api/v1/applications", json=filing.form_of(49), headers=filing.as_enterprise(49)
    )
    assert again.status_code == 201, again.text


async def test_a_decision_after_withdrawal_changes_nothing(filing: Any, events: Any) -> None:
    app = await filing.submitted(50)
    await events.deliver(opened(app))
    await filing.client.post(
        f"/api/v1/applications/{app['id']}/withdraw", headers=filing.as_enterprise(50)
    )
    await events.deliver(decided(app, "approve"))
    assert (await filing.read(app, 50))["status"] == "withdrawn"


async def test_withdrawal_after_a_decision_is_refused(filing: Any, events: Any) -> None:
    app = await filing.submitted(51)
    await events.deliver(opened(app))
    await events.deliver(decided(app, "approve"))
    response = await filing.client.post(
        f"/api/v1/applications/{app['id']}/withdraw", headers=filing.as_enterprise(51)
    )
    assert response.status_code == 409


async def test_a_redelivered_event_has_one_effect(filing: Any, events: Any) -> None:
    app = await filing.submitted(52)
    await events.deliver(opened(app))
    event_id = str(uuid.uuid4())
    assert await events.deliver(decided(app, "return", "补正"), event_id=event_id) == "handled"
    assert await events.deliver(decided(app, "return", "补正"), event_id=event_id) == "duplicate"
    assert statuses(await filing.read(app, 52)).count("returned") == 1


async def test_one_publicity_batch_moves_all_its_entries_by_id_or_by_uscc(
    filing: Any, events: Any, audit: Any
) -> None:
    apps = [await filing.submitted(n) for n in (53, 54, 55)]
    for app in apps:
        await events.deliver(opened(app))
        await events.deliver(decided(app, "approve"))
    batch = publicity(*apps[:2])
    batch_without_ids = publicity(apps[2], with_ids=False)
    await events.deliver(batch)
    await events.deliver(batch_without_ids)
    for n, app in zip((53, 54, 55), apps, strict=True):
        current = await filing.read(app, n)
        assert current["status"] == "in_publicity"
        assert current["timeline"][-1]["reason"] == "公示期 2026-07-06 至 2026-07-17"
    records = await audit.records("application.in_publicity")
    assert [r["entity_id"] for r in records] == [batch.batch_id, batch_without_ids.batch_id]
    assert sorted(records[0]["after"]["applications"]) == sorted(a["id"] for a in apps[:2])


async def test_a_fetch_of_registrations_registers_each_application_once_in_order(
    filing: Any, events: Any, audit: Any
) -> None:
    named, unnamed = [await filing.submitted(n) for n in (58, 59)]
    for app in (named, unnamed):
        await events.deliver(opened(app))
        await events.deliver(decided(app, "approve"))
    await events.deliver(publicity(named))
    without_id = issued(unnamed, "N-59").model_copy(update={"application_id": None})
    await events.deliver_batch(
        [
            issued(named, "N-58"),
            without_id,
            issued(named, "N-58-again"),  # the same application later in the run: no move
            revoked(named["uscc"], "N-58", application_id=named["id"]),  # after the run
        ]
    )
    first = await filing.read(named, 58)
    assert (first["status"], first["registration_number"]) == ("revoked", "N-58")
    assert [(t["status"], t["reason"]) for t in first["timeline"]][-3:] == [
        ("in_publicity", "公示期 2026-07-06 至 2026-07-17"),
        ("registered", "N-58"),
        ("revoked", "failed_spot_check"),
    ]
    second = await filing.read(unnamed, 59)
    assert (second["status"], second["registration_number"]) == ("registered", "N-59")
    assert statuses(second)[-2:] == ["approved", "registered"]
    records = {
        r["entity_id"]: (r["before"], r["after"])
        for r in await audit.records("application.registered")
        if r["entity_id"] in (named["id"], unnamed["id"])
    }
    assert records == {
        named["id"]: ({"status": "in_publicity"}, {"status": "registered", "reason": "N-58"}),
        unnamed["id"]: ({"status": "approved"}, {"status": "registered", "reason": "N-59"}),
    }


async def test_a_publicity_entry_of_an_application_not_yet_approved_here_still_moves_it(
    filing: Any, events: Any
) -> None:
    app = await filing.submitted(56)
    await events.deliver(publicity(app))  # opened and approved are still in flight
    assert (await filing.read(app, 56))["status"] == "in_publicity"


async def test_other_event_types_on_consumed_topics_are_ignored(events: Any) -> None:
    spot = SpotCheckFailed(
        spot_check_id="s1",
        number="2026150105A0000001",
        uscc="91150105MA0Q4XXXXA",
        year=2026,
        agency="150100",
    )
    assert await events.deliver(spot) == "ignored"


async def test_event_driven_changes_are_audited_as_the_system(
    filing: Any, events: Any, audit: Any
) -> None:
    app = await filing.submitted(57)
    await events.deliver(opened(app))
    await events.deliver(decided(app, "return", "补正"))
    [record] = await audit.records("application.returned")
    assert record["actor_role"] == "system"
    assert record["before"] == {"status": "under_review"}
    assert record["after"] == {"status": "returned", "reason": "补正"}
