"""How fast the consumers drain a backlog (issue 14, part 2; a benchmark, not a test).

    .venv/bin/python benchmarks/bench_consumer_drain.py [--events 5000] [--only intake]

Starts PostgreSQL and Kafka on free ports (or uses `SME_TEST_INFRA`'s), puts N events on
fresh topics first, then starts the service in-process (its real consumer, relay and
database) and times the drain until every event is in its inbox:

- review: `cn.sme.application.submitted.v1` (forms of their own enterprises, one in ten
  sharing a contact phone with another, so the cross-enterprise warnings do work);
- tracking: `cn.sme.registration.issued.v1` (obligations created per registration);
- intake: the same events, each registering one of N applications in publicity (seeded
  before the consumer starts);
- relay: review's outbox relay publishing N `registration.issued` events committed in one
  transaction (an announcement), timed from the commit until the last row is published.

Rate = events ÷ (time the last event reached the inbox − time the first did), so start-up
and the first fetch do not count.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from aiokafka import AIOKafkaProducer
from sqlalchemy import Table, func, select

from localdev.kafka import create_topics
from localdev.paths import LOCAL_DIR
from localdev.ports import free_port
from localdev.stack import Infra, dev_keys
from localdev.testing import running_app, test_settings
from shared.kernel.codes.uscc import with_check_digit
from shared.kernel.evaluation.engine import evaluate
from shared.kernel.evaluation.form import InformationForm
from shared.kernel.evaluation.samples import sample_document
from shared.kernel.events import topics
from shared.kernel.events.envelope import CloudEvent, EventPayload
from shared.kernel.events.payloads.intake import ApplicationSubmitted
from shared.kernel.events.payloads.review import RegistrationIssued
from shared.kernel.policy.loader import shipped_policy
from shared.platform.db.audit import Actor
from shared.platform.db.bulk import array_insert, as_arrays
from shared.platform.db.metadata import inbox, outbox
from shared.platform.runtime import ServiceRuntime

NOW = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)


def _uscc(n: int) -> str:
    return with_check_digit(f"91150105MA{n:07d}")


def submissions(count: int) -> list[EventPayload]:
    policy = shipped_policy(2026)
    events: list[EventPayload] = []
    for n in range(1, count + 1):
        phone = f"139{(n - n % 10 if n % 10 == 1 else n):08d}"  # every tenth shares one
        form = InformationForm.model_validate(
            sample_document(
                {
                    "enterprise.uscc": _uscc(n),
                    "enterprise.name": f"内蒙古基准科技{n}有限公司",
                    "enterprise.region_code": "150105",
                    "enterprise.contact": {
                        "name": "张三",
                        "phone": phone,
                        "email": f"e{n}@example.cn",
                    },
                    "ip.0.number": f"ZL2021{n:08d}.1",
                    "fast_track": [],
                }
            )
        )
        at = NOW + timedelta(seconds=n)
        events.append(
            ApplicationSubmitted(
                application_id=str(uuid.uuid4()),
                year=2026,
                uscc=form.enterprise.uscc,
                form=form,
                self_evaluation=evaluate(form, policy, policy.evaluation_date_for(at.date())),
                submitted_at=at,
                round=1,
            )
        )
    return events


def registrations(count: int, application_ids: list[uuid.UUID] | None = None) -> list[EventPayload]:
    ids = application_ids or [uuid.uuid4() for _ in range(count)]
    return [
        RegistrationIssued(
            number=f"2026150105A{n:06d}",
            uscc=_uscc(n),
            year=2026,
            region_code="150105",
            agency="150100",
            enterprise_name=f"内蒙古基准科技{n}有限公司",
            industry_code="I6513",
            registered_on=date(2026, 7, 1),
            valid_until=date(2026, 12, 31),
            application_id=str(ids[n - 1]),
        )
        for n in range(1, count + 1)
    ]


def seed_publicity(application_ids: list[uuid.UUID]) -> Callable[[ServiceRuntime], Awaitable[None]]:
    """Intake's applications the registrations name, in publicity (one array insert)."""

    async def seed(runtime: ServiceRuntime) -> None:
        from intake.adapters.tables import ApplicationRow

        table = cast(Table, ApplicationRow.__table__)
        columns = [
            "id", "year", "uscc", "agency", "status", "form", "self_evaluation",
            "policy_version", "round", "submitted_at", "created_at", "updated_at",
        ]  # fmt: skip
        rows = [
            {
                "id": i,
                "year": 2026,
                "uscc": _uscc(n),
                "agency": "150100",
                "status": "in_publicity",
                "form": {},
                "self_evaluation": {},
                "policy_version": 1,
                "round": 1,
                "submitted_at": NOW,
                "created_at": NOW,
                "updated_at": NOW,
            }
            for n, i in enumerate(application_ids, start=1)
        ]
        async with runtime.db.sessions() as session, session.begin():
            await session.execute(array_insert(table, columns), as_arrays(table, columns, rows))

    return seed


async def all_registered(runtime: ServiceRuntime) -> None:
    """Every seeded application was registered (the events did their work, not just arrive)."""
    from intake.adapters.tables import ApplicationRow, TimelineRow

    async with runtime.db.sessions() as session:
        registered = await session.scalar(
            select(func.count()).where(ApplicationRow.status == "registered")
        )
        timeline = await session.scalar(select(func.count()).select_from(TimelineRow))
        unregistered = await session.scalar(
            select(func.count()).where(ApplicationRow.registration_number.is_(None))
        )
    print(
        f"  intake: {registered:,} registered, {timeline:,} timeline entries, "
        f"{unregistered} without a number"
    )
    if registered != timeline or unregistered:
        raise SystemExit("intake: not every application was registered once")


async def produce(bootstrap: str, topic: str, events: list[EventPayload]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, acks="all")
    await producer.start()
    try:
        for payload in events:
            event = CloudEvent.wrap(payload, source="/sme/bench")
            await producer.send(
                topic,
                event.to_json_bytes(),
                key=payload.partition_key().encode(),
                headers=[("content-type", b"application/cloudevents+json; charset=UTF-8")],
            )
        await producer.flush()
    finally:
        await producer.stop()


async def drain(
    infra: Infra,
    service: str,
    create_app: Callable[..., Any],
    settings_cls: type[Any],
    events: list[EventPayload],
    seed: Callable[[ServiceRuntime], Awaitable[None]] | None = None,
    verify: Callable[[ServiceRuntime], Awaitable[None]] | None = None,
) -> float:
    prefix = f"drain{uuid.uuid4().hex[:6]}."
    # Off the event loop: the helper runs a loop of its own.
    await asyncio.to_thread(create_topics, infra.bootstrap, list(topics.every_topic(prefix)), 3)
    started = time.perf_counter()
    await produce(infra.bootstrap, prefix + events[0].topic, events)
    print(f"  {len(events):,} events produced in {time.perf_counter() - started:.1f} s")
    url = infra.database_url(service, f"_drain{uuid.uuid4().hex[:6]}")
    environment = test_settings(
        service, url, infra, dev_keys(), KAFKA_TOPIC_PREFIX=prefix, DATABASE_POOL_SIZE=10
    )
    if seed is not None:
        # An API-only process migrates the database without consuming; the rows the
        # events need are there before the consumer starts.
        seeding = create_app(settings_cls(**environment, PROCESS_ROLE="api"))
        async with running_app(seeding):
            await seed(seeding.state.runtime)
    app = create_app(settings_cls(**environment))
    async with running_app(app):
        runtime: ServiceRuntime = app.state.runtime

        async def handled() -> int:
            async with runtime.db.sessions() as session:
                return int(await session.scalar(select(func.count()).select_from(inbox)) or 0)

        first = last = None
        deadline = time.perf_counter() + 1800
        while time.perf_counter() < deadline:
            done = await handled()
            now = time.perf_counter()
            if done and first is None:
                first = (now, done)
            if done >= len(events):
                last = now
                break
            await asyncio.sleep(0.05)
        if first is None or last is None:
            raise SystemExit(f"{service}: the backlog was not drained in 30 minutes")
        rate = (len(events) - first[1]) / max(last - first[0], 1e-9)
        print(
            f"  {service}: {len(events):,} {events[0].event_type} drained in "
            f"{last - first[0]:.1f} s after the first ({first[1]} already in) -> {rate:.0f} /s"
        )
        if verify is not None:
            await verify(runtime)
        return rate


async def relay_drain(infra: Infra, count: int) -> float:
    from review.bootstrap import create_app as review_app
    from review.config import ReviewSettings

    prefix = f"relay{uuid.uuid4().hex[:6]}."
    await asyncio.to_thread(create_topics, infra.bootstrap, list(topics.every_topic(prefix)), 3)
    url = infra.database_url("review", f"_relay{uuid.uuid4().hex[:6]}")
    settings = ReviewSettings(
        **test_settings(
            "review", url, infra, dev_keys(), KAFKA_TOPIC_PREFIX=prefix, DATABASE_POOL_SIZE=10
        )
    )
    app = review_app(settings)
    async with running_app(app):
        runtime: ServiceRuntime = app.state.runtime
        async with runtime.uow(Actor.system("bench")) as work:
            await work.outbox.add_many(registrations(count))
        committed = time.perf_counter()

        async def unsent() -> int:
            async with runtime.db.sessions() as session:
                query = (
                    select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
                )
                return int(await session.scalar(query) or 0)

        while await unsent():
            await asyncio.sleep(0.05)
        took = time.perf_counter() - committed
        print(
            f"  relay: {count:,} events published {took:.1f} s after the commit -> "
            f"{count / took:.0f} /s"
        )
        return count / took


async def drains(infra: Infra, count: int, only: str | None) -> None:
    from intake.bootstrap import create_app as intake_app
    from intake.config import IntakeSettings
    from review.bootstrap import create_app as review_app
    from review.config import ReviewSettings
    from tracking.bootstrap import create_app as tracking_app
    from tracking.config import TrackingSettings

    if only in (None, "review"):
        await drain(infra, "review", review_app, ReviewSettings, submissions(count))
    if only in (None, "tracking"):
        await drain(infra, "tracking", tracking_app, TrackingSettings, registrations(count))
    if only in (None, "intake"):
        ids = [uuid.uuid4() for _ in range(count)]
        events = registrations(count, ids)
        await drain(
            infra, "intake", intake_app, IntakeSettings, events, seed_publicity(ids), all_registered
        )
    if only in (None, "relay"):
        await relay_drain(infra, count)


def main(count: int, only: str | None) -> None:
    described = os.environ.get("SME_TEST_INFRA")
    if described:
        data = json.loads(Path(described).read_text())
        ports = (data["pg_port"], data["kafka_port"], data["kafka_controller_port"])
        asyncio.run(drains(Infra(Path(data["state_dir"]), *ports), count, only))
        return
    state = LOCAL_DIR / "tmp" / f"drain-{os.getpid()}"
    infra = Infra(state, free_port(), free_port(), free_port())  # durable, as in production
    try:
        infra.up()  # inside: a start-up that fails half-way still stops what it started
        asyncio.run(drains(infra, count, only))
    finally:
        if infra.kafka is not None:
            infra.kafka.kill()
        if infra.s3 is not None:
            infra.s3.kill()
        infra.down()
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--only", choices=["review", "tracking", "intake", "relay"])
    args = parser.parse_args()
    main(args.events, args.only)
