"""Composition root of intake: the routers, event handlers and jobs of this service."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from intake.adapters.object_store import DocumentStore
from intake.adapters.unit_of_work import SqlIntakeUnitOfWorkFactory
from intake.config import SERVICE, IntakeSettings, get_settings, intake_settings
from intake.entrypoints.api import applications, documents, enterprises, evaluations, policy
from intake.entrypoints.handlers import build_registry
from intake.service_layer.document_jobs import apply_retention, remove_orphan_objects
from intake.service_layer.year_close import run_close_drafts
from shared.kernel.calendar.clock import Clock
from shared.kernel.evaluation.engine import scorer_for
from shared.kernel.policy.loader import shipped_policies
from shared.platform.runtime import PeriodicJob, ServiceRuntime
from shared.platform.settings import ServiceSettings
from shared.platform.web.app import ServiceSpec, create_service_app

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def validate_policies(runtime: ServiceRuntime) -> None:
    """Read and validate every shipped yearly policy file before serving: a broken file
    stops the service at start-up with `PolicyFileError` (file and field path), instead of
    failing the first form that touches the broken threshold. Also warms the scorer of
    each effective policy, so the first preview of a year pays no compilation."""
    shipped_policies()
    for year in runtime.policies.years():
        scorer_for(runtime.policies.cached(year))


def attach_document_store(runtime: ServiceRuntime) -> None:
    """The S3 client of evidence documents (created lazily: no call is made at start-up, so
    an object-store outage never keeps intake from serving everything else)."""
    runtime.extras["documents"] = DocumentStore(runtime.settings)


def build_jobs(runtime: ServiceRuntime) -> list[PeriodicJob]:
    async def orphans(rt: ServiceRuntime) -> object:
        return await remove_orphan_objects(
            SqlIntakeUnitOfWorkFactory(rt.uow), rt.extras["documents"], rt.clock.now()
        )

    async def retention(rt: ServiceRuntime) -> object:
        return await apply_retention(
            SqlIntakeUnitOfWorkFactory(rt.uow), rt.extras["documents"], rt.policies, rt.clock.now()
        )

    return [
        PeriodicJob("document-orphans", 600.0, orphans),
        PeriodicJob("document-retention", 6 * 3600.0, retention),
        PeriodicJob(
            "year-close-drafts",
            intake_settings(runtime.settings).year_close_interval,
            run_close_drafts,
        ),
    ]


# The upload route streams its body to disk under the policy's per-file limit; this is only
# the ceiling no policy can exceed (shared.kernel.policy.evidence_rules) plus multipart framing.
UPLOAD_CEILING = 100 * 1024 * 1024 + 64 * 1024

SPEC = ServiceSpec(
    name=SERVICE,
    title="Intake · 信息填报",
    description="Enterprise profiles, the information form, self-evaluation and applications.",
    routers=[
        policy.router,
        evaluations.router,
        enterprises.router,
        applications.router,
        documents.router,
    ],
    migrations_dir=MIGRATIONS,
    settings_class=IntakeSettings,
    handlers=build_registry,
    jobs=build_jobs,
    large_bodies=[(r"^/api/v1/applications/[^/]+/documents$", UPLOAD_CEILING)],
    on_startup=[validate_policies, attach_document_store],
)


def create_app(
    settings: ServiceSettings | None = None,
    *,
    run_background: bool = True,
    clock: Clock | None = None,
) -> FastAPI:
    return create_service_app(
        SPEC, settings or get_settings(), run_background=run_background, clock=clock
    )
