"""`create_service_app`: the one way a service becomes a running FastAPI application.

Lifespan order (start-up): logging → database → migrations (local mode) → policies →
relay → consumer → periodic jobs. Shutdown (SIGTERM) runs it backwards: jobs stop, the
consumer finishes the message in hand and commits, the relay finishes its batch, the
database pool closes.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI

from shared.kernel.calendar.clock import Clock, ShiftedClock, SystemClock
from shared.kernel.events.envelope import source_of
from shared.kernel.events.topics import with_prefix
from shared.kernel.policy.loader import shipped_policies
from shared.platform.auth.tokens import TokenVerifier
from shared.platform.db.engine import Database
from shared.platform.db.migrate import upgrade_to_head
from shared.platform.messaging.consumer import EventConsumer, HandlerRegistry
from shared.platform.messaging.kafka_clients import new_consumer, new_producer
from shared.platform.messaging.relay import OutboxRelay
from shared.platform.messaging.retention import check_inbox_outlives_topics, purge_messaging_history
from shared.platform.messaging.unit_of_work import UnitOfWorkFactory
from shared.platform.observability.logs import configure_logging
from shared.platform.observability.metrics import ServiceMetrics
from shared.platform.observability.tracing import configure_tracing
from shared.platform.policies.store import PolicyStore
from shared.platform.runtime import PeriodicJob, ServiceRuntime
from shared.platform.settings import ProcessRole, ServiceSettings, settings_as
from shared.platform.web.duplicate_keys import parse_json_once, refuse_duplicate_json_keys
from shared.platform.web.errors import install_error_handlers
from shared.platform.web.health import router as health_router
from shared.platform.web.middleware import BodySizeLimitMiddleware, RequestContextMiddleware
from shared.platform.web.openapi import API_VERSION, install_openapi, operation_id
from shared.platform.web.openapi_docs import install_docs, install_gateway_docs
from shared.platform.web.ops import ops_router

log = logging.getLogger("shared.platform.web.app")


@dataclass
class ServiceSpec:
    """What makes one service different from another; everything else is shared."""

    name: str
    title: str
    description: str
    routers: Sequence[APIRouter]
    migrations_dir: Path
    # The service's settings class: `create_service_app` builds or converts the settings
    # to it once, validated, so `runtime.settings` is always an instance of it.
    settings_class: type[ServiceSettings] = ServiceSettings
    handlers: Callable[[ServiceRuntime], HandlerRegistry] = lambda _: HandlerRegistry()
    jobs: Callable[[ServiceRuntime], list[PeriodicJob]] = lambda _: []
    max_body_bytes: int = 1_000_000
    # (path regex, max bytes): upload endpoints that stream larger bodies themselves.
    large_bodies: Sequence[tuple[str, int]] = ()
    on_startup: Sequence[Callable[[ServiceRuntime], object]] = field(default_factory=list)


def _verifier(settings: ServiceSettings) -> TokenVerifier:
    if settings.jwt_jwks_url:
        return TokenVerifier(
            jwks_url=settings.jwt_jwks_url,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            max_lifetime_seconds=settings.jwt_max_lifetime_seconds,
        )
    if settings.jwt_public_key_file is None:
        raise RuntimeError("JWT_PUBLIC_KEY_FILE or JWT_JWKS_URL must be set")
    return TokenVerifier.from_file(
        settings.jwt_public_key_file,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        max_lifetime_seconds=settings.jwt_max_lifetime_seconds,
    )


def build_runtime(spec: ServiceSpec, settings: ServiceSettings, clock: Clock) -> ServiceRuntime:
    db = Database.connect(
        settings.database_url,
        pool_size=settings.database_pool_size,
        application_name=spec.name,
        connect_timeout=settings.database_connect_timeout,
        command_timeout=settings.database_command_timeout,
        pool_timeout=settings.database_pool_timeout,
    )
    return ServiceRuntime(
        name=spec.name,
        settings=settings,
        db=db,
        metrics=ServiceMetrics(spec.name),
        uow=UnitOfWorkFactory(
            db, source=source_of(spec.name), topic_prefix=settings.kafka_topic_prefix
        ),
        verifier=_verifier(settings),
        policies=PolicyStore(db),
        clock=clock,
    )


def create_service_app(
    spec: ServiceSpec,
    settings: ServiceSettings | None = None,
    *,
    run_background: bool = True,
    clock: Clock | None = None,
) -> FastAPI:
    """`run_background=False` serves the API only (no relay, consumer or jobs): API tests
    inspect the outbox rows instead of a broker. Without `settings` they are read from the
    environment as the spec's settings class."""
    settings = (
        spec.settings_class.from_environment(spec.name)
        if settings is None
        else settings_as(settings, spec.settings_class)
    )
    configure_logging(spec.name, settings.log_level)
    # A broken shipped policy file stops the service here, naming the file and the field.
    shipped_policies()
    if clock is None:
        clock = SystemClock()
        if settings.clock_offset_days:
            clock = ShiftedClock(clock, timedelta(days=settings.clock_offset_days))
    runtime = build_runtime(spec, settings, clock)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.migrate_on_start:
            await upgrade_to_head(runtime.db.engine, spec.migrations_dir)
        await runtime.policies.load()
        for hook in spec.on_startup:
            result = hook(runtime)
            if hasattr(result, "__await__"):
                await result
        background = run_background and settings.process_role is not ProcessRole.API
        if run_background:
            registry = spec.handlers(runtime)
            runtime.consumer = _consumer(spec, runtime, registry)  # also replays dead letters
            if background:
                consumed = [
                    with_prefix(topic, settings.kafka_topic_prefix) for topic in registry.topics()
                ]
                # Refuses to start when the inbox would forget events Kafka can still redeliver.
                await check_inbox_outlives_topics(runtime, consumed)
                _start_background(spec, runtime)
            _start_jobs(spec, runtime, background=background)
        app.state.started = True  # readiness: only now may the pod take traffic
        log.info("service started", extra={"background": background, "role": settings.process_role})
        try:
            yield
        finally:
            app.state.started = False
            await _stop_background(runtime)
            await runtime.db.dispose()
            log.info("service stopped")

    # A worker process (PROCESS_ROLE=worker) serves health, metrics and operations only:
    # the gateway sends the API to the `api` processes.
    app = api_app(spec, lifespan, business_routes=settings.process_role is not ProcessRole.WORKER)
    install_gateway_docs(app, settings.gateway_openapi, settings.redoc_bundle)
    app.state.runtime = runtime
    app.state.started = False
    app.add_middleware(
        BodySizeLimitMiddleware, max_bytes=spec.max_body_bytes, large_bodies=spec.large_bodies
    )
    app.add_middleware(RequestContextMiddleware, metrics=runtime.metrics)
    return app


def api_app(
    spec: ServiceSpec,
    lifespan: Callable[[FastAPI], Any] | None = None,
    *,
    business_routes: bool = True,
) -> FastAPI:
    """The routes, error handlers and OpenAPI document of a service, without a runtime:
    `create_service_app` serves it; the OpenAPI export reads its document."""
    app = FastAPI(
        title=spec.title,
        description=spec.description,
        version=API_VERSION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=f"/openapi/{spec.name}.json",
        dependencies=[Depends(refuse_duplicate_json_keys)],
        generate_unique_id_function=operation_id,
    )
    install_error_handlers(app)
    app.include_router(health_router)
    app.include_router(ops_router(spec.name))
    for router in spec.routers if business_routes else ():
        app.include_router(router)
    install_openapi(app)
    install_docs(app, f"/docs/{spec.name}", f"/openapi/{spec.name}.json", spec.title)
    configure_tracing(spec.name, app)
    parse_json_once(app)
    return app


def _consumer(
    spec: ServiceSpec, runtime: ServiceRuntime, registry: HandlerRegistry
) -> EventConsumer | None:
    if not registry.event_types():
        return None
    settings = runtime.settings
    return EventConsumer(
        service=spec.name,
        db=runtime.db,
        uow_factory=runtime.uow,
        registry=registry,
        metrics=runtime.metrics,
        consumer_factory=partial(new_consumer, settings),
        producer_factory=partial(new_producer, settings, f"{spec.name}-dlq"),
        topic_prefix=settings.kafka_topic_prefix,
        max_attempts=settings.consumer_max_attempts,
        retry_backoff=settings.consumer_retry_backoff,
        max_batch=settings.consumer_max_batch,
        partition_concurrency=settings.consumer_partition_concurrency,
        fault_injection=settings.fault_injection,
    )


def _start_background(spec: ServiceSpec, runtime: ServiceRuntime) -> None:
    """The relay, and the consumer built by `_consumer` (the jobs: `_start_jobs`)."""
    settings = runtime.settings
    producer_factory = partial(new_producer, settings, f"{spec.name}-relay")
    runtime.relay = OutboxRelay(
        runtime.db,
        producer_factory,
        runtime.metrics,
        poll_interval=settings.outbox_poll_interval,
        batch_size=settings.outbox_batch_size,
    )
    runtime.relay.start()
    if runtime.consumer is not None:
        runtime.consumer.start()


def _start_jobs(spec: ServiceSpec, runtime: ServiceRuntime, *, background: bool) -> None:
    """Every process keeps its policy cache fresh; the set-based jobs run where the
    background work runs (a worker, or a process of role `all`)."""
    runtime.jobs = [
        PeriodicJob(
            "policy-refresh", runtime.policies.refresh_interval, lambda rt: rt.policies.refresh()
        )
    ]
    if background:
        runtime.jobs += [
            PeriodicJob("messaging-retention", 3600.0, purge_messaging_history),
            *spec.jobs(runtime),
        ]
    for job in runtime.jobs:
        job.start(runtime)


async def _stop_background(runtime: ServiceRuntime) -> None:
    for job in runtime.jobs:
        await job.stop()
    if runtime.consumer is not None:
        await runtime.consumer.stop()
    if runtime.relay is not None:
        await runtime.relay.stop()
