"""Apply a service's Alembic migrations (on start in local mode, or `python -m <svc> migrate`)."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.platform.db.locks import AdvisoryLock

log = logging.getLogger("shared.platform.db.migrate")

# Two replicas starting together must not both run DDL: one waits for the other.
_MIGRATION_LOCK_ID = int(AdvisoryLock.MIGRATIONS)


def alembic_config(migrations_dir: Path, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("sqlalchemy.url", url)
    return config


async def upgrade_to_head(engine: AsyncEngine, migrations_dir: Path) -> None:
    def run(connection: Connection) -> None:
        connection.exec_driver_sql(f"SELECT pg_advisory_lock({_MIGRATION_LOCK_ID})")
        try:
            config = alembic_config(
                migrations_dir, engine.url.render_as_string(hide_password=False)
            )
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
        except Exception:
            # Leave the failed transaction first, or the unlock below would fail too and
            # hide the migration's own error (a session lock survives the rollback).
            connection.rollback()
            raise
        finally:
            connection.exec_driver_sql(f"SELECT pg_advisory_unlock({_MIGRATION_LOCK_ID})")
            connection.commit()

    async with engine.connect() as connection:
        await connection.run_sync(run)
        await connection.commit()
    log.info("migrations applied", extra={"migrations": str(migrations_dir)})
