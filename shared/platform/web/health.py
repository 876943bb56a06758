"""Liveness (`/healthz`), readiness (`/readyz`) and metrics.

Readiness means "can serve requests": the service finished starting and its database
answers. Kafka is deliberately not part of it: the outbox absorbs a broker outage, and a
readiness that followed Kafka would take every pod of every service out of rotation while
nothing needed the broker to answer (architecture.md § Round 2). The broker, the relay and
the consumer show in `/healthz` details and in the metrics instead; liveness itself stays
200 whatever they say, so the orchestrator never restarts a pod for someone else's outage.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from shared.platform.runtime import ServiceRuntime

router = APIRouter(include_in_schema=False)

_DATABASE_PING_SECONDS = 2.0
_BROKER_PROBE_SECONDS = 1.0


async def _messaging_details(runtime: ServiceRuntime) -> dict[str, Any]:
    """Broker, relay and consumer state; also recorded as gauges for alerts."""
    details: dict[str, Any] = {}
    relay = runtime.relay
    if relay is None:
        details["relay"] = "not_running"
    else:
        reachable = await relay.broker_reachable(within=_BROKER_PROBE_SECONDS)
        runtime.metrics.kafka_reachable.set(1 if reachable else 0)
        details["relay"] = "running"
        details["kafka"] = "ok" if reachable else "unavailable"
    if runtime.consumer is not None:
        assigned = runtime.consumer.assigned
        runtime.metrics.consumer_assigned.set(1 if assigned else 0)
        details["consumer"] = "assigned" if assigned else "waiting"
    return details


@router.get("/healthz")
async def healthz(request: Request) -> dict[str, Any]:
    runtime: ServiceRuntime = request.app.state.runtime
    return {"status": "ok", "details": await _messaging_details(runtime)}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    runtime: ServiceRuntime = request.app.state.runtime
    checks: dict[str, Any] = {}
    started = bool(getattr(request.app.state, "started", False))
    checks["started"] = "ok" if started else "starting"
    try:
        await asyncio.wait_for(runtime.db.ping(), _DATABASE_PING_SECONDS)
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"unavailable: {type(exc).__name__}"
    ready = started and checks["database"] == "ok"
    return JSONResponse(
        {"status": "ready" if ready else "not_ready", "checks": checks},
        status_code=200 if ready else 503,
    )


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    runtime: ServiceRuntime = request.app.state.runtime
    return Response(generate_latest(runtime.metrics.registry), media_type=CONTENT_TYPE_LATEST)
