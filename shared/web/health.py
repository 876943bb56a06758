"""Liveness (`/healthz`: the process answers) and readiness (`/readyz`: database and Kafka)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from shared.runtime import ServiceRuntime

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


async def _kafka_ready(runtime: ServiceRuntime) -> bool:
    relay = runtime.relay
    if relay is None:
        return False
    return await relay.broker_reachable()


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    runtime: ServiceRuntime = request.app.state.runtime
    checks: dict[str, Any] = {}
    try:
        await asyncio.wait_for(runtime.db.ping(), 2)
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"unavailable: {type(exc).__name__}"
    checks["kafka"] = "ok" if await _kafka_ready(runtime) else "unavailable"
    if runtime.consumer is not None:
        checks["consumer"] = "assigned" if runtime.consumer.assigned else "waiting"
    ready = checks["database"] == "ok" and checks["kafka"] == "ok"
    return JSONResponse(
        {"status": "ready" if ready else "not_ready", "checks": checks},
        status_code=200 if ready else 503,
    )


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    runtime: ServiceRuntime = request.app.state.runtime
    return Response(generate_latest(runtime.metrics.registry), media_type=CONTENT_TYPE_LATEST)
