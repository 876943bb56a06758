"""Small dependency aliases that keep route signatures short."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shared.platform.runtime import ServiceRuntime


async def get_runtime(request: Request) -> ServiceRuntime:  # async: no thread-pool hop
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


Runtime = Annotated[ServiceRuntime, Depends(get_runtime)]
