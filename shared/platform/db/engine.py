"""Async engine and session factory for a service's own database."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


@dataclass
class Database:
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]

    @classmethod
    def connect(
        cls,
        url: str,
        *,
        pool_size: int = 10,
        application_name: str = "sme",
        connect_timeout: float = 5.0,
        command_timeout: float = 30.0,
        pool_timeout: float = 10.0,
    ) -> Database:
        # Every wait is bounded, so a database outage becomes a prompt 503 (see
        # shared.platform.db.outage) instead of a request hanging: connecting, waiting for a pooled
        # connection, and each statement. pre_ping drops connections the outage killed,
        # so the service recovers by itself when the database is back.
        engine = create_async_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_pre_ping=True,
            pool_timeout=pool_timeout,
            connect_args={
                "server_settings": {"application_name": application_name},
                "timeout": connect_timeout,
                "command_timeout": command_timeout,
            },
        )
        return cls(engine=engine, sessions=async_sessionmaker(engine, expire_on_commit=False))

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


def asyncpg_dsn(url: str) -> str:
    """The plain libpq URL for asyncpg's own connections (LISTEN needs a dedicated one)."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)
