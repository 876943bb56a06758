"""`make bench-load` / `python -m localdev.benchload`: one run, every number side by side.

    make bench-load                                   # its own stack, 32 clients
    make bench-load ARGS="--clients 16 --batch 500"   # fewer enterprises over HTTP
    make bench-load ARGS="--quick"                    # a few minutes: small N everywhere
    make bench-load ARGS="--workers 2"                # two processes per service
    make bench-load ARGS="--split"                    # API and worker processes apart
    make bench-load ARGS="--running"                  # against `make run`'s stack

Two stages: `--batch` enterprises go the whole HTTP path (profile → … → announced), then
`--announce-cases` cases (the issue's 20,000) are seeded ready to announce and announced
(announcement.py).

Without `--running` it starts PostgreSQL (durable: fsync and synchronous commit on, as in
`make run`), Kafka, the S3 store, the four services and the gateway on free ports in
.local/bench-load/, and removes them after. Results go to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from localdev.benchload import baselines, lags
from localdev.benchload.announcement import run_stage
from localdev.benchload.cpu import CpuMeter
from localdev.benchload.flow import (
    EnterpriseFlow,
    Tokens,
    new_enterprise,
    new_run_id,
    run_phase,
    wait_for,
)
from localdev.benchload.machine import describe
from localdev.benchload.report import Results, render
from localdev.paths import LOCAL_DIR, REPO_ROOT, SERVICES
from localdev.ports import free_port
from localdev.stack import Infra, Stack, dev_keys
from shared.kernel.calendar.clock import SystemClock

BENCH_CLIENT = "bench client"


@dataclass
class Target:
    """Where the services, their databases and the broker are."""

    infra: Infra
    service_urls: dict[str, str]
    database_urls: dict[str, str] = field(default_factory=dict)
    cpu_roots: dict[str, int] = field(default_factory=dict)  # component → root pid


def _cpu_roots(stack: Stack) -> dict[str, int]:
    """The processes whose CPU time is reported per phase (only for a stack started here)."""
    roots = {BENCH_CLIENT: os.getpid()}
    for name, service in stack.processes.items():
        if service.process is not None:
            roots[name] = service.process.pid
    infra = stack.infra
    if infra.pg is not None:
        postmaster = infra.pg.data_dir / "postmaster.pid"
        with contextlib.suppress(OSError, ValueError, IndexError):
            roots["postgres"] = int(postmaster.read_text().split()[0])
    for name, server in (("kafka", infra.kafka), ("s3", infra.s3)):
        pid = server.pid() if server is not None else None
        if pid is not None:
            roots[name] = pid
    return roots


@contextmanager
def own_stack(workers: int, split: bool = False) -> Iterator[Target]:
    state = LOCAL_DIR / "bench-load" / f"run-{os.getpid()}"
    infra = Infra(state, free_port(), free_port(), free_port(), s3_port=free_port())
    ports = {name: free_port() for name in (*SERVICES, "gateway")}
    stack = Stack(
        infra=infra,
        log_dir=state / "logs",
        ports=ports,
        db_suffix="_load",
        extra_env={name: {"WEB_WORKERS": str(workers)} for name in SERVICES},
        split_roles=split,
    )
    try:
        print("starting PostgreSQL, Kafka, S3, the four services ...", flush=True)
        infra.up()
        stack.start()
        assert infra.pg is not None
        yield Target(
            infra,
            {name: stack.processes[name].url for name in SERVICES},
            {name: infra.pg.url(f"sme_{name}_load", driver="postgresql") for name in SERVICES},
            _cpu_roots(stack),
        )
    finally:
        print("stopping the stack ...", flush=True)
        stack.stop()
        infra.down()
        shutil.rmtree(state, ignore_errors=True)


@contextmanager
def running_stack() -> Iterator[Target]:
    """`make run`'s stack, at its default ports (run.py)."""
    infra = Infra(LOCAL_DIR / "run", 5544, 9092, 9093, s3_port=9444)
    assert infra.pg is not None
    yield Target(
        infra,
        {name: f"http://127.0.0.1:{8101 + i}" for i, name in enumerate(SERVICES)},
        {name: infra.pg.url(f"sme_{name}", driver="postgresql") for name in SERVICES},
    )


def _since(wall: float) -> datetime:
    return datetime.fromtimestamp(wall - 1, UTC)


async def pipeline(target: Target, args: argparse.Namespace, results: Results) -> None:
    db = target.database_urls
    batch: int = args.batch
    meter = CpuMeter(target.cpu_roots, alone=frozenset({BENCH_CLIENT}))
    consumer_dbs = list(db.values())
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    results.healthz = await baselines.endpoint_rate(
        f"{target.service_urls['intake']}/healthz", concurrency=args.clients, seconds=5
    )
    print(f"healthz: {results.healthz.per_second:.0f}/s", flush=True)
    run = new_run_id()
    enterprises = [new_enterprise(i, run) for i in range(args.batch)]
    tokens = Tokens(dev_keys()[0])
    for enterprise in enterprises:  # minted before the clock starts: signing costs CPU here
        tokens.headers("enterprise", uscc=enterprise.uscc)
    async with (
        httpx.AsyncClient(
            base_url=target.service_urls["intake"], timeout=120, limits=limits
        ) as intake,
        httpx.AsyncClient(
            base_url=target.service_urls["review"], timeout=600, limits=limits
        ) as review,
    ):
        flow = EnterpriseFlow(intake, review, tokens)
        for name, call in (
            ("profile", flow.profile),
            ("draft", flow.draft),
            ("upload", flow.upload),
            ("submit", flow.submit),
        ):
            before = meter.snapshot()
            phase = await run_phase(name, enterprises, call, args.clients)
            results.cpu[name] = meter.cores_since(before)
            results.phases.append(phase)
            print(
                f"{name}: {phase.per_second:.1f}/s, {phase.latency and phase.latency.ms()}",
                flush=True,
            )
        submit = results.phases[-1]
        application_ids = [e.application_id for e in enterprises]

        async def cases_opened() -> bool:
            found = await lags.case_ids(db["review"], application_ids)
            for enterprise in enterprises:
                enterprise.case_id = found.get(enterprise.application_id, "")
            return len(found) == len(enterprises)

        # From the last submit's answer (the phase ended just now).
        results.review_caught_up = await wait_for(
            cases_opened, time.monotonic(), args.timeout, "review to open every case"
        )
        results.submitted = await lags.event_times(
            db["intake"], consumer_dbs, "cn.sme.application.submitted.v1", _since(submit.started_at)
        )
        before = meter.snapshot()
        approve = await run_phase("approve", enterprises, flow.approve, args.clients)
        results.cpu["approve"] = meter.cores_since(before)
        results.phases.append(approve)
        print(f"approve: {approve.per_second:.1f}/s", flush=True)
        year = int(enterprises[0].form["year"])
        # Recorded 40 days back, like the e2e test: its publicity period is over.
        starts_on = (SystemClock().today() - timedelta(days=40)).isoformat()
        batch_id = await flow.publicity_batch([e.case_id for e in enterprises], starts_on, year)

        async def in_publicity() -> bool:
            return (
                await lags.count(
                    db["intake"],
                    "SELECT count(*) FROM application WHERE id = ANY($1::uuid[])"
                    " AND status = 'in_publicity'",
                    application_ids,
                )
                == batch
            )

        await wait_for(
            in_publicity,
            time.monotonic(),
            args.timeout,
            "intake to show every application in publicity",
        )
        usccs = [e.uscc for e in enterprises]
        before = meter.snapshot()
        announce_wall, announce_start = time.time(), time.monotonic()
        await flow.announce(batch_id)
        results.announce_answer = time.monotonic() - announce_start
        print(f"announced {args.batch} in {results.announce_answer:.1f}s", flush=True)

        async def registered_in_intake() -> bool:
            return (
                await lags.count(
                    db["intake"],
                    "SELECT count(*) FROM application WHERE id = ANY($1::uuid[])"
                    " AND status = 'registered'",
                    application_ids,
                )
                == batch
            )

        async def obligations_in_tracking() -> bool:
            return (
                await lags.count(
                    db["tracking"],
                    "SELECT count(DISTINCT registration_number) FROM obligation"
                    " WHERE uscc = ANY($1::text[])",
                    usccs,
                )
                == batch
            )

        # Both from the announce request's start: the batch is visible when the last
        # enterprise shows `registered` and the last registration has its obligations.
        results.visible_in_intake, results.visible_in_tracking = await asyncio.gather(
            wait_for(registered_in_intake, announce_start, args.timeout, "intake registrations"),
            wait_for(obligations_in_tracking, announce_start, args.timeout, "tracking obligations"),
        )
        results.cpu["announce until visible"] = meter.cores_since(before)
        results.obligations = await lags.count(
            db["tracking"], "SELECT count(*) FROM obligation WHERE uscc = ANY($1::text[])", usccs
        )
        results.issued = await lags.event_times(
            db["review"], consumer_dbs, "cn.sme.registration.issued.v1", _since(announce_wall)
        )
        if args.announce_cases:
            before = meter.snapshot()
            results.announcement = await run_stage(
                flow, db, cases=args.announce_cases, year=year, run=run, wait_limit=args.timeout
            )
            results.cpu[f"announce {args.announce_cases:,} until visible"] = meter.cores_since(
                before
            )


def measure(target: Target, args: argparse.Namespace, results: Results) -> None:
    assert target.infra.pg is not None
    print("pgbench ...", flush=True)
    results.pgbench = baselines.pgbench(
        target.infra.pg,
        clients=args.clients,
        seconds=args.pgbench_seconds,
        scale=args.pgbench_scale,
    )
    print(f"pgbench: {results.pgbench.tps:.0f} tps", flush=True)
    print("Kafka EndToEndLatency ...", flush=True)
    results.kafka = baselines.kafka_end_to_end(target.infra.bootstrap, messages=args.kafka_messages)
    print(f"kafka: p50 {results.kafka.p50_ms} ms, p99 {results.kafka.p99_ms} ms", flush=True)
    asyncio.run(pipeline(target, args, results))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m localdev.benchload", description=__doc__)
    parser.add_argument("--clients", type=int, default=32, help="concurrent HTTP clients")
    parser.add_argument(
        "--batch", type=int, default=2_000, help="enterprises: each submits, all are announced"
    )
    parser.add_argument(
        "--announce-cases",
        type=int,
        default=20_000,
        help="cases seeded ready to announce, then announced (0: skip the stage)",
    )
    parser.add_argument("--workers", type=int, default=1, help="processes per service")
    parser.add_argument(
        "--split",
        action="store_true",
        help="each service as an API process and a worker process (relay, consumer, jobs)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small N everywhere (200 enterprises, 2,000 announced, short baselines)",
    )
    parser.add_argument("--pgbench-seconds", type=int, default=15)
    parser.add_argument("--pgbench-scale", type=int, default=10)
    parser.add_argument("--kafka-messages", type=int, default=2000)
    parser.add_argument("--timeout", type=float, default=900, help="seconds per wait")
    parser.add_argument("--running", action="store_true", help="use `make run`'s stack")
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument(
        "--note", default="", help="a line on the run's conditions, kept in RESULTS.md"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.batch, args.announce_cases = min(args.batch, 200), min(args.announce_cases, 2_000)
        args.pgbench_seconds, args.kafka_messages = min(args.pgbench_seconds, 5), 500
    results = Results(
        machine=describe(),
        clients=args.clients,
        batch=args.batch,
        note=args.note,
        workers=args.workers,
        split=args.split,
    )
    started = time.monotonic()
    with running_stack() if args.running else own_stack(args.workers, args.split) as target:
        try:
            measure(target, args, results)
        except Exception as exc:  # keep what was measured; say where it stopped
            results.error = f"{type(exc).__name__}: {exc}"
    results.total_seconds = time.monotonic() - started
    results.load_at_end = " ".join(f"{v:.2f}" for v in os.getloadavg())
    text = render(results)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    print(text)
    print(f"written to {args.output}", file=sys.stderr)
    if results.error:
        sys.exit(1)


if __name__ == "__main__":
    main()
