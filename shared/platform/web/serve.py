"""`python -m <service> serve|migrate` for every service (one copy)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable
from pathlib import Path

import uvicorn

from shared.platform.db.engine import Database
from shared.platform.db.migrate import upgrade_to_head
from shared.platform.settings import ProcessRole, ServiceSettings


def main(
    *,
    service: str,
    app_factory: str,
    migrations_dir: Path,
    settings_factory: Callable[[], ServiceSettings],
) -> None:
    parser = argparse.ArgumentParser(prog=service)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the API, the outbox relay and the consumers")
    serve.add_argument("--host", default="0.0.0.0")  # noqa: S104 - containers listen on all
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers", type=int, default=None, help="processes (default: WEB_WORKERS, else 1)"
    )
    serve.add_argument(
        "--role",
        choices=[r.value for r in ProcessRole],
        default=None,
        help="all: API and background work; api: requests only; worker: relay, consumer and "
        "jobs (default: PROCESS_ROLE, else all)",
    )
    sub.add_parser("migrate", help="apply the database migrations and exit")
    args = parser.parse_args()

    if args.command == "migrate":
        settings = settings_factory()

        async def migrate() -> None:
            db = Database.connect(settings.database_url, pool_size=1, application_name=service)
            try:
                await upgrade_to_head(db.engine, migrations_dir)
            finally:
                await db.dispose()

        asyncio.run(migrate())
        sys.exit(0)

    if args.role:  # read by every worker process uvicorn starts, through the settings
        os.environ["PROCESS_ROLE"] = args.role
    settings = settings_factory()
    uvicorn.run(
        app_factory,
        factory=True,
        host=args.host,
        port=args.port,
        # Several workers are several processes, each a full replica (settings.web_workers).
        workers=args.workers or settings.web_workers,
        loop="uvloop",
        http="httptools",
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=20,
        proxy_headers=True,
        # Only the gateway may speak for a client: a forged X-Forwarded-For from anyone
        # else is ignored (rate limits and audit records use the client address).
        forwarded_allow_ips=settings.forwarded_allow_ips,
    )
