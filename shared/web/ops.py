"""Operations endpoints every service has: list and replay dead letters (province only).

Mounted at `/api/v1/ops/<service>/...` so the gateway can route them by prefix.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel
from sqlalchemy import select, update

from shared.auth.principal import Principal, Role
from shared.db.metadata import dead_letter
from shared.errors import Conflict, NotFound
from shared.messaging.consumer import Message
from shared.runtime import ServiceRuntime
from shared.web.auth import require_roles
from shared.web.pagination import Page, PageQuery, keyset, page_of

Province = Annotated[Principal, Depends(require_roles(Role.PROVINCE))]


class DeadLetterOut(BaseModel):
    id: int
    consumer: str
    topic: str
    partition: int
    offset: int
    key: str | None
    event_id: str | None
    event_type: str | None
    error: str
    attempts: int
    created_at: datetime
    replayed_at: datetime | None


class ReplayOut(BaseModel):
    id: int
    outcome: str


def ops_router(service: str) -> APIRouter:
    router = APIRouter(prefix=f"/api/v1/ops/{service}", tags=["operations"])

    @router.get("/dead-letters", response_model=Page[DeadLetterOut])
    async def list_dead_letters(request: Request, _: Province, page: PageQuery) -> dict[str, Any]:
        runtime: ServiceRuntime = request.app.state.runtime
        stmt = keyset(select(dead_letter), [dead_letter.c.id], page)
        async with runtime.db.sessions() as session:
            rows = (await session.execute(stmt)).mappings().all()
        items, cursor = page_of(rows, page, lambda r: [r["id"]])
        return {
            "items": [DeadLetterOut.model_validate(dict(r)) for r in items],
            "next_cursor": cursor,
        }

    @router.post("/dead-letters/{letter_id}/replay", response_model=ReplayOut)
    async def replay_dead_letter(
        request: Request, letter_id: int, principal: Province
    ) -> ReplayOut:
        runtime: ServiceRuntime = request.app.state.runtime
        if runtime.consumer is None:
            raise Conflict(
                message="该服务未运行事件消费者", message_en="no consumer in this process"
            )
        async with runtime.db.sessions() as session:
            row = (
                (await session.execute(select(dead_letter).where(dead_letter.c.id == letter_id)))
                .mappings()
                .first()
            )
        if row is None:
            raise NotFound()
        message = Message(
            topic=runtime.settings.kafka_topic_prefix + row["topic"],
            partition=row["partition"],
            offset=row["offset"],
            key=row["key"].encode() if row["key"] else None,
            value=row["value"],
            headers=tuple((k, str(v).encode()) for k, v in (row["headers"] or {}).items()),
        )
        outcome = await runtime.consumer.process(message)
        async with runtime.uow(principal.actor) as uow:
            if outcome in ("handled", "duplicate"):
                await uow.session.execute(
                    update(dead_letter)
                    .where(dead_letter.c.id == letter_id)
                    .values(replayed_at=runtime.clock.now())
                )
            await uow.audit.record(
                "dead_letter.replay", "dead_letter", str(letter_id), after={"outcome": outcome}
            )
        return ReplayOut(id=letter_id, outcome=outcome)

    return router
