"""Dead letters can be listed and replayed through the ops endpoints (province only)."""

from __future__ import annotations

from pathlib import Path

import pytest

from localdev.stack import Infra
from localdev.testing import Tokens, running_app, test_settings
from shared.kernel.events.envelope import CloudEvent
from shared.platform.db.engine import Database
from shared.platform.messaging.consumer import HandlerRegistry, Message
from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.settings import ServiceSettings
from shared.platform.web.app import ServiceSpec, create_service_app

from .conftest import OrderProbe

pytestmark = pytest.mark.integration


class FlakyHandler:
    """Fails until the operator fixes the cause, then records the event."""

    def __init__(self) -> None:
        self.broken = True

    async def __call__(self, uow: UnitOfWork, event: OrderProbe, _: CloudEvent) -> None:
        if self.broken:
            raise RuntimeError("the referenced batch is unknown")
        await uow.audit.record("probe.handled", "probe", str(event.seq))


async def test_a_dead_letter_is_listed_and_replayed_once_the_cause_is_fixed(
    database: Database,
    infra: Infra,
    keys: tuple[Path, Path],
    topic_prefix: str,
    tokens: Tokens,
) -> None:
    handler = FlakyHandler()

    def registry(_: object) -> HandlerRegistry:
        handlers = HandlerRegistry()
        handlers.on(OrderProbe, handler)
        return handlers

    spec = ServiceSpec(
        name="probe",
        title="probe",
        description="",
        routers=[],
        migrations_dir=Path("/nonexistent"),
        handlers=registry,
    )
    url = database.engine.url.render_as_string(hide_password=False)
    settings = ServiceSettings(
        **test_settings(
            "probe",
            url,
            infra,
            keys,
            MIGRATE_ON_START=False,
            KAFKA_TOPIC_PREFIX=topic_prefix,
            CONSUMER_MAX_ATTEMPTS=2,
            CONSUMER_RETRY_BACKOFF=0.01,
        )
    )
    app = create_service_app(spec, settings)
    event = CloudEvent.wrap(OrderProbe(uscc="REPLAY000000000000", seq=7), source="/sme/test")
    message = Message(
        topic_prefix + "sme.tracking.v1", 0, 99, b"REPLAY000000000000", event.to_json_bytes(), ()
    )
    async with running_app(app) as client:
        runtime = app.state.runtime
        assert await runtime.consumer.process(message) == "dead_letter"

        assert (
            await client.get("/api/v1/ops/probe/dead-letters", headers=tokens.agency("150100"))
        ).status_code == 403
        listed = (
            await client.get("/api/v1/ops/probe/dead-letters", headers=tokens.province())
        ).json()["items"]
        assert [(d["event_id"], d["attempts"], d["replayed_at"]) for d in listed] == [
            (event.id, 2, None)
        ]

        handler.broken = False
        replay = await client.post(
            f"/api/v1/ops/probe/dead-letters/{listed[0]['id']}/replay", headers=tokens.province()
        )
        assert replay.json() == {"id": listed[0]["id"], "outcome": "handled"}
        again = await client.post(
            f"/api/v1/ops/probe/dead-letters/{listed[0]['id']}/replay", headers=tokens.province()
        )
        assert again.json()["outcome"] == "duplicate"
        listed = (
            await client.get("/api/v1/ops/probe/dead-letters", headers=tokens.province())
        ).json()["items"]
        assert listed[0]["replayed_at"] is not None
