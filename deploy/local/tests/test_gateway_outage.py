"""The local gateway answers the contract's 503 envelope when a service is down."""

from __future__ import annotations

import httpx

from localdev.gateway import create_gateway
from localdev.ports import free_port


async def test_a_service_that_is_down_is_a_503_with_retry_after() -> None:
    # A free port nobody listens on: the intake service is down (or restarting).
    gateway = create_gateway({"intake": f"http://127.0.0.1:{free_port()}"})
    transport = httpx.ASGITransport(app=gateway)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/api/v1/applications")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json()["error"]["code"] == "unavailable"
