"""What review does on other services' events (one function per event type).

Dependencies are named by the functions' parameters and injected once at start-up
(`HandlerRegistry.wired`); `in_batches` marks a handler that applies a run at once.
"""

from __future__ import annotations

from review.adapters.unit_of_work import SqlReviewUnitOfWork
from review.service_layer import cases, credit, objections, submissions
from review.service_layer.registry import on_revocation_decided
from shared.kernel.events.payloads.intake import (
    ApplicationSubmitted,
    ApplicationWithdrawn,
    PolicyUpdated,
)
from shared.kernel.events.payloads.supervision import (
    CaseAccepted,
    CaseConcluded,
    CaseFiled,
    CreditRecorded,
    RevocationDecided,
)
from shared.platform.messaging.handler_registry import (
    HandlerRegistry,
    Handlers,
    in_batches,
    on_repositories,
)
from shared.platform.policies.handlers import on_policy_updated
from shared.platform.runtime import ServiceRuntime

# Review's use cases take `ReviewUnitOfWork`; the consumer hands the shared one.
on_review_uow = on_repositories(SqlReviewUnitOfWork)


HANDLERS: Handlers = {
    PolicyUpdated: on_policy_updated,
    # intake
    ApplicationSubmitted: in_batches(submissions.on_applications_submitted),
    ApplicationWithdrawn: on_review_uow(cases.on_application_withdrawn),
    # supervision: objections, revocations, the credit archive
    CaseFiled: on_review_uow(objections.on_case_filed),
    CaseAccepted: on_review_uow(objections.on_case_accepted),
    CaseConcluded: on_review_uow(objections.on_case_concluded),
    RevocationDecided: on_review_uow(on_revocation_decided),
    CreditRecorded: on_review_uow(credit.on_credit_recorded),
}


def build_registry(runtime: ServiceRuntime) -> HandlerRegistry:
    return HandlerRegistry.wired(HANDLERS, runtime.handler_dependencies())
