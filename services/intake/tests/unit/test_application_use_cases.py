"""The enterprise's commands (create, submit, withdraw) against the in-memory unit of work:
the use cases' rules, events and audit records without a database (milliseconds)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime

import pytest

from intake.adapters.in_memory import InMemoryIntakeUnitOfWork
from intake.adapters.tables import ApplicationRow, DocumentRow
from intake.domain.errors import (
    ApplicationNotFound,
    EvidenceMissing,
    LiveApplicationExists,
    NotSubmittable,
    NotWithdrawable,
    NotYourEnterprise,
)
from intake.service_layer import applications
from localdev.evidence import required_uploads
from shared.kernel.codes.uscc import with_check_digit
from shared.kernel.evaluation.samples import sample_form
from shared.kernel.events.payloads.intake import ApplicationSubmitted, ApplicationWithdrawn
from shared.kernel.policy import shipped_policy
from shared.platform.auth.principal import Principal, Role
from shared.platform.policies.in_memory import ShippedPolicies

NOW = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)  # inside the shipped 2026 window
USCC = with_check_digit("91150105MA0Q40001")
ME = Principal(sub="u1", role=Role.ENTERPRISE, uscc=USCC)
SOMEONE_ELSE = Principal(sub="u2", role=Role.ENTERPRISE, uscc=with_check_digit("91150105MA0Q40002"))
POLICY = shipped_policy(2026)
FORM = sample_form({"enterprise.uscc": USCC})


@pytest.fixture
def uow() -> InMemoryIntakeUnitOfWork:
    return InMemoryIntakeUnitOfWork()


async def _draft(uow: InMemoryIntakeUnitOfWork) -> ApplicationRow:
    return await applications.create_draft(uow, ME, FORM, POLICY, NOW)


def _upload_required(uow: InMemoryIntakeUnitOfWork, row: ApplicationRow) -> None:
    for kind, refers_to in required_uploads(row.form):
        digest = hashlib.sha256(f"{row.uscc}/{kind}/{refers_to}".encode()).hexdigest()
        uow.documents.rows.append(
            DocumentRow(
                id=uuid.uuid4(),
                application_id=row.id,
                uscc=row.uscc,
                year=row.year,
                kind=kind,
                refers_to=refers_to,
                filename="evidence.pdf",
                media_type="application/pdf",
                size=100,
                sha256=digest,
                object_key=f"sha256/{digest}",
                readable=True,
                round=row.round,
                uploaded_at=NOW,
            )
        )


async def test_a_draft_is_stored_and_audited_without_an_event(
    uow: InMemoryIntakeUnitOfWork,
) -> None:
    row = await _draft(uow)
    assert await uow.applications.get(row.id) is row
    assert (row.status, row.agency, row.round) == ("draft", "150100", 0)
    assert [t.status for t in await uow.applications.timeline(row.id)] == ["draft"]
    assert [r.action for r in uow.audit.records] == ["application.create"]
    assert uow.outbox.events == []


async def test_a_form_of_another_enterprise_and_a_second_live_draft_are_refused(
    uow: InMemoryIntakeUnitOfWork,
) -> None:
    with pytest.raises(NotYourEnterprise):
        await applications.create_draft(uow, SOMEONE_ELSE, FORM, POLICY, NOW)
    first = await _draft(uow)
    with pytest.raises(LiveApplicationExists) as refused:
        await _draft(uow)
    assert str(first.id) in refused.value.message_en


async def test_submit_needs_the_evidence_then_moves_and_announces(
    uow: InMemoryIntakeUnitOfWork,
) -> None:
    row = await _draft(uow)
    with pytest.raises(EvidenceMissing):
        await applications.submit(uow, ME, row.id, ShippedPolicies(), NOW)
    assert row.status == "draft"
    assert uow.outbox.events == []

    _upload_required(uow, row)
    await applications.submit(uow, ME, row.id, ShippedPolicies(), NOW)
    assert (row.status, row.round, row.submitted_at) == ("submitted", 1, NOW)
    (event,) = uow.outbox.events
    assert isinstance(event, ApplicationSubmitted)
    assert (event.application_id, event.round, event.uscc) == (str(row.id), 1, USCC)
    assert len(event.documents) == len(required_uploads(row.form))
    assert uow.audit.records[-1].action == "application.submit"
    assert uow.audit.records[-1].before == {"status": "draft"}
    with pytest.raises(NotSubmittable):
        await applications.submit(uow, ME, row.id, ShippedPolicies(), NOW)


async def test_withdraw_a_submitted_application_closes_its_case_once(
    uow: InMemoryIntakeUnitOfWork,
) -> None:
    row = await _draft(uow)
    _upload_required(uow, row)
    await applications.submit(uow, ME, row.id, ShippedPolicies(), NOW)
    await applications.withdraw(uow, ME, row.id, "changed our mind", NOW)
    assert row.status == "withdrawn"
    assert isinstance(uow.outbox.events[-1], ApplicationWithdrawn)
    timeline = await uow.applications.timeline(row.id)
    assert [(t.status, t.reason) for t in timeline][-1] == ("withdrawn", "changed our mind")
    with pytest.raises(NotWithdrawable):
        await applications.withdraw(uow, ME, row.id, None, NOW)
    # an ended application no longer blocks a new draft of the year
    assert (await _draft(uow)).id != row.id


async def test_a_withdrawn_draft_announces_nothing(uow: InMemoryIntakeUnitOfWork) -> None:
    row = await _draft(uow)
    await applications.withdraw(uow, ME, row.id, None, NOW)
    assert row.status == "withdrawn"
    assert uow.outbox.events == []


async def test_someone_elses_application_is_not_found(uow: InMemoryIntakeUnitOfWork) -> None:
    row = await _draft(uow)
    with pytest.raises(ApplicationNotFound):
        await applications.withdraw(uow, SOMEONE_ELSE, row.id, None, NOW)
    with pytest.raises(ApplicationNotFound):
        await applications.submit(uow, SOMEONE_ELSE, uuid.uuid4(), ShippedPolicies(), NOW)
