"""Filing a case (`POST /cases`): objection, complaint or report."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from shared.kernel.calendar.clock import today_in_china
from shared.kernel.events.payloads.supervision import CaseFiled
from shared.platform.policies.store import PolicyStore
from supervision.adapters.tables import CaseRow, CaseStepRow
from supervision.domain.cases import CaseKind, CaseStatus
from supervision.domain.deadlines import accept_due_on
from supervision.domain.errors import FilingRefused, ObjectionRefused
from supervision.domain.fingerprint import filer_key, filing_fingerprint
from supervision.domain.identity import ANONYMOUS, Evidence, Filer, check_filing, normalise_phone
from supervision.domain.jurisdiction import case_agency
from supervision.domain.objection_window import PublicityPeriod
from supervision.service_layer.event_values import event_kind
from supervision.service_layer.policy_lookup import policy_for
from supervision.service_layer.unit_of_work import SupervisionUnitOfWork


@dataclass(frozen=True, slots=True)
class FileCase:
    kind: CaseKind
    subject_uscc: str
    batch_id: str | None
    grounds: str
    facts: str
    evidence: tuple[Evidence, ...]
    filer: Filer | None


@dataclass(frozen=True, slots=True)
class Filed:
    case: CaseRow
    created: bool  # False: the same filing arrived within the duplicate window


async def file_case(
    uow: SupervisionUnitOfWork,
    command: FileCase,
    *,
    client_key: str,
    now: datetime,
    policies: PolicyStore,
    duplicate_window: timedelta,
) -> Filed:
    today = today_in_china(now)
    check_filing(command.kind, command.filer, command.facts, command.evidence)

    batch_agency: str | None = None
    subject_name: str | None = None
    year = today.year
    if command.batch_id is not None:
        batch, entry = await uow.registry.batch_entry(command.batch_id, command.subject_uscc)
        if batch is None:
            raise FilingRefused(
                f"公示批次 {command.batch_id} 不存在（或尚未同步，请稍后再试）",
                f"publicity batch {command.batch_id} is unknown (or not yet received; retry "
                f"shortly)",
                code="batch_unknown",
                loc=("batch_id",),
            )
        if entry is None:
            raise FilingRefused(
                "该企业不在此公示批次中",
                "the enterprise is not on this publicity batch",
                code="subject_not_in_batch",
                loc=("subject_uscc",),
            )
        if command.kind is CaseKind.OBJECTION:
            PublicityPeriod(batch.starts_on, batch.ends_on).check_objection_on(today)
        batch_agency, subject_name, year = entry.agency, entry.name, batch.year
    elif command.kind is CaseKind.OBJECTION:
        raise ObjectionRefused(
            "异议须针对公示批次中的企业，请填写公示批次（batch_id）",
            "an objection is against an enterprise of a publicity batch: give batch_id",
            code="batch_required",
            loc=("batch_id",),
        )

    fingerprint = filing_fingerprint(
        kind=command.kind.value,
        subject_uscc=command.subject_uscc,
        filer=filer_key(command.filer, anonymous_as=client_key),
        grounds=command.grounds,
        facts=command.facts,
    )
    # Two identical filings at the same instant: the second waits here, then finds the first.
    await uow.cases.serialise_filings(fingerprint)
    existing = await uow.cases.duplicate_of(fingerprint, now - duplicate_window)
    if existing is not None:
        return Filed(existing, created=False)

    registered_agency = publicity_agency = None
    if batch_agency is None:
        registered = await uow.registry.newest_registration(command.subject_uscc)
        publicity = await uow.registry.newest_publicity_entry(command.subject_uscc)
        registered_agency = registered.agency if registered else None
        publicity_agency = publicity.agency if publicity else None
        subject_name = (registered.enterprise_name if registered else None) or (
            publicity.name if publicity else None
        )
    agency = case_agency(
        command.subject_uscc,
        batch_agency=batch_agency,
        registered_agency=registered_agency,
        publicity_agency=publicity_agency,
    )

    policy = await policy_for(policies, year)
    due = accept_due_on(today, policy.supervision, await policies.calendar())
    filer = command.filer
    case = CaseRow(
        id=uuid.uuid4(),
        kind=command.kind.value,
        subject_uscc=command.subject_uscc,
        subject_name=subject_name,
        batch_id=command.batch_id,
        year=year,
        agency=agency,
        status=CaseStatus.RECEIVED.value,
        grounds=command.grounds,
        facts=command.facts,
        evidence=[{k: v for k, v in asdict(e).items() if v is not None} for e in command.evidence],
        filer_type=filer.type.value if filer else ANONYMOUS,
        filer_name=filer.name if filer else None,
        filer_phone=normalise_phone(filer.phone) if filer and filer.phone else None,
        filer_organisation=filer.organisation if filer else None,
        fingerprint=fingerprint,
        filed_at=now,
        filed_on=today,
        accept_due_on=due.value,
        accept_due_provisional=due.provisional,
        due_on=due.value,
    )
    await uow.cases.add(
        case,
        CaseStepRow(
            case_id=case.id,
            at=now,
            step=CaseStatus.RECEIVED.value,
            actor_role=uow.actor.role,
            actor_org=uow.actor.org,
        ),
    )
    # No filer data in the event (contract.md: no personal data leaves the system).
    await uow.outbox.add(
        CaseFiled(
            case_id=str(case.id),
            kind=event_kind(command.kind.value),
            uscc=case.subject_uscc,
            batch_id=case.batch_id,
            agency=agency,
            filed_on=today,
        )
    )
    await uow.audit.record(
        "case.file",
        "supervision_case",
        str(case.id),
        after={
            "kind": case.kind,
            "subject_uscc": case.subject_uscc,
            "batch_id": case.batch_id,
            "agency": agency,
            "status": case.status,
            "filer_type": case.filer_type,
            "accept_due_on": case.accept_due_on,
        },
    )
    return Filed(case, created=True)
