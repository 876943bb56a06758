"""The body of every service's `migrations/env.py` (one copy): online, async, both metadatas."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from shared.platform.db.metadata import shared_metadata


def run(service_metadata: MetaData) -> None:
    config = context.config
    url = config.get_main_option("sqlalchemy.url") or os.environ["DATABASE_URL"]
    targets = [shared_metadata, service_metadata]

    def do_run(connection: Connection) -> None:
        context.configure(connection=connection, target_metadata=targets, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()

    if context.is_offline_mode():
        context.configure(url=url, target_metadata=targets, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return

    async def online() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
        await engine.dispose()

    existing = context.config.attributes.get("connection")
    if existing is not None:
        do_run(existing)
    else:
        asyncio.run(online())
