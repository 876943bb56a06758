"""What review does on other services' events (one function per event type)."""

from __future__ import annotations

from review.service_layer import cases, credit, objections
from review.service_layer.registry import on_revocation_decided
from shared.db.unit_of_work import UnitOfWork
from shared.events.envelope import CloudEvent
from shared.events.payloads.intake import ApplicationSubmitted, ApplicationWithdrawn, PolicyUpdated
from shared.events.payloads.supervision import (
    CaseAccepted,
    CaseConcluded,
    CaseFiled,
    CreditRecorded,
    RevocationDecided,
)
from shared.messaging.consumer import HandlerRegistry
from shared.policy.handlers import policy_updated_handler
from shared.runtime import ServiceRuntime


def build_registry(runtime: ServiceRuntime) -> HandlerRegistry:
    policies = runtime.policies

    async def application_submitted(
        uow: UnitOfWork, event: ApplicationSubmitted, envelope: CloudEvent
    ) -> None:
        await cases.on_application_submitted(uow, event, envelope, policies)

    async def application_withdrawn(
        uow: UnitOfWork, event: ApplicationWithdrawn, envelope: CloudEvent
    ) -> None:
        await cases.on_application_withdrawn(uow, event, envelope, policies)

    handlers = HandlerRegistry()
    handlers.on(PolicyUpdated, policy_updated_handler(policies))
    # intake
    handlers.on(ApplicationSubmitted, application_submitted)
    handlers.on(ApplicationWithdrawn, application_withdrawn)
    # supervision: objections, revocations, the credit archive
    handlers.on(CaseFiled, objections.on_case_filed)
    handlers.on(CaseAccepted, objections.on_case_accepted(policies))
    handlers.on(CaseConcluded, objections.on_case_concluded(policies))
    handlers.on(RevocationDecided, on_revocation_decided)
    handlers.on(CreditRecorded, credit.on_credit_recorded(policies))
    return handlers
