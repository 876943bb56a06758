"""Operations endpoints every service has: list and replay dead letters (province only).

Mounted at `/api/v1/ops/<service>/...` so the gateway can route them by prefix.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi import Path as FastPath
from pydantic import BaseModel
from sqlalchemy import select, text, update

from shared.kernel.errors import Conflict, NotFound
from shared.platform.db.metadata import dead_letter, outbox
from shared.platform.messaging.consumer import Message
from shared.platform.messaging.outbox import NOTIFY_CHANNEL
from shared.platform.runtime import ServiceRuntime
from shared.platform.web.openapi import error_responses
from shared.platform.web.pagination import Page, PageQuery, cursor_int, keyset, page_of
from shared.platform.web.params import Province


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


class ParkedEventOut(BaseModel):
    id: int
    event_id: str
    topic: str
    key: str
    event_type: str
    attempts: int
    last_error: str | None
    created_at: datetime
    parked_at: datetime


class RetryOut(BaseModel):
    id: int
    event_id: str
    outcome: str


LetterId = Annotated[int, FastPath(ge=1, le=2**63 - 1)]


def ops_router(service: str) -> APIRouter:
    router = APIRouter(prefix=f"/api/v1/ops/{service}", tags=["operations"])

    @router.get("/dead-letters", response_model=Page[DeadLetterOut])
    async def list_dead_letters(request: Request, _: Province, page: PageQuery) -> dict[str, Any]:
        runtime: ServiceRuntime = request.app.state.runtime
        stmt = keyset(select(dead_letter), [dead_letter.c.id], page, convert=[cursor_int])
        async with runtime.db.sessions() as session:
            rows = (await session.execute(stmt)).mappings().all()
        items, cursor = page_of(rows, page, lambda r: [r["id"]])
        return {
            "items": [DeadLetterOut.model_validate(dict(r)) for r in items],
            "next_cursor": cursor,
        }

    @router.post(
        "/dead-letters/{letter_id}/replay", response_model=ReplayOut, responses=error_responses(409)
    )
    async def replay_dead_letter(
        request: Request, letter_id: LetterId, principal: Province
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

    @router.get("/outbox/parked", response_model=Page[ParkedEventOut])
    async def list_parked_events(request: Request, _: Province, page: PageQuery) -> dict[str, Any]:
        """运维：消息队列永久拒收的事件，最早的在前。
        Events the broker refused for good (e.g. too large), oldest first."""
        runtime: ServiceRuntime = request.app.state.runtime
        columns = [
            outbox.c.id,
            outbox.c.event_id,
            outbox.c.topic,
            outbox.c.key,
            outbox.c.event_type,
            outbox.c.attempts,
            outbox.c.last_error,
            outbox.c.created_at,
            outbox.c.parked_at,
        ]
        stmt = keyset(
            select(*columns).where(
                outbox.c.parked_at.is_not(None), outbox.c.published_at.is_(None)
            ),
            [outbox.c.id],
            page,
            descending=False,
            convert=[cursor_int],
        )
        async with runtime.db.sessions() as session:
            rows = (await session.execute(stmt)).mappings().all()
        items, cursor = page_of(rows, page, lambda r: [r["id"]])
        return {
            "items": [ParkedEventOut.model_validate(dict(r)) for r in items],
            "next_cursor": cursor,
        }

    @router.post("/outbox/{event_row}/retry", response_model=RetryOut)
    async def retry_parked_event(
        request: Request, event_row: LetterId, principal: Province
    ) -> RetryOut:
        """运维：排除原因后把暂停的事件交回投递。
        Give a parked event back to the relay (after the cause was fixed, e.g. the
        topic's size limit raised)."""
        runtime: ServiceRuntime = request.app.state.runtime
        async with runtime.uow(principal.actor) as uow:
            row = (
                await uow.session.execute(
                    update(outbox)
                    .where(
                        outbox.c.id == event_row,
                        outbox.c.parked_at.is_not(None),
                        outbox.c.published_at.is_(None),
                    )
                    .values(parked_at=None)
                    .returning(outbox.c.id, outbox.c.event_id)
                )
            ).first()
            if row is None:
                raise NotFound()
            await uow.session.execute(text(f"NOTIFY {NOTIFY_CHANNEL}"))
            await uow.audit.record("outbox.retry", "outbox", str(event_row))
        return RetryOut(id=row.id, event_id=str(row.event_id), outcome="queued")

    return router
