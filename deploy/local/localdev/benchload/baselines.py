"""The ceilings the pipeline is compared with, measured on the same servers in the same run:
pgbench's TPC-B-like transaction (the durable-write ceiling of this PostgreSQL), Kafka's own
`EndToEndLatency` tool (produce acks=all → consume), and a minimal endpoint's request rate
with the very client the load uses."""

from __future__ import annotations

import asyncio
import re
import subprocess
import time
from dataclasses import dataclass

import httpx

from localdev.benchload.stats import Summary, rate
from localdev.kafka import create_topics, fetch_jars
from localdev.paths import DEPLOY_LOCAL, LOCAL_DIR
from localdev.postgres import SUPERUSER, LocalPostgres, _bin_dir

TOOLS_POM = DEPLOY_LOCAL / "kafka-tools" / "pom.xml"
TOOLS_LIBS = LOCAL_DIR / "kafka" / "tools-libs"
# Kafka 4 moved the tool from `kafka.tools` (core) to `org.apache.kafka.tools` (kafka-tools).
END_TO_END_LATENCY = "org.apache.kafka.tools.EndToEndLatency"
LATENCY_TOPIC = "bench.end-to-end-latency"


@dataclass(frozen=True)
class PgbenchResult:
    tps: float
    clients: int
    scale: int
    seconds: int


def pgbench(pg: LocalPostgres, *, clients: int, seconds: int, scale: int) -> PgbenchResult:
    """pgbench's default (TPC-B-like) script on a scratch database of `pg`, dropped after."""
    database = "sme_bench_pgbench"
    pg.create_database(database)
    common = ["-h", "127.0.0.1", "-p", str(pg.port), "-U", SUPERUSER]
    binary = str(_bin_dir() / "pgbench")
    try:
        subprocess.run(
            [binary, *common, "-i", "-q", "-s", str(scale), database],
            check=True,
            capture_output=True,
        )
        out = subprocess.run(
            [binary, *common, "-c", str(clients), "-j", "2", "-T", str(seconds), database],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        pg.drop_database(database)
    found = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out)
    if found is None:
        raise RuntimeError(f"no tps in pgbench's output:\n{out}")
    return PgbenchResult(float(found.group(1)), clients, scale, seconds)


@dataclass(frozen=True)
class KafkaLatency:
    p50_ms: float
    p99_ms: float
    average_ms: float
    messages: int
    size: int


def kafka_end_to_end(bootstrap: str, *, messages: int, size: int = 500) -> KafkaLatency:
    """Kafka's `EndToEndLatency`: one message at a time, produced with acks=all and consumed
    back before the next, on a topic of its own."""
    libs = fetch_jars(TOOLS_POM, TOOLS_LIBS)
    create_topics(bootstrap, [LATENCY_TOPIC], partitions=1)
    out = subprocess.run(
        [
            "java",
            "-Xmx256m",
            f"-Dlog4j2.configurationFile={DEPLOY_LOCAL / 'kafka' / 'log4j2.properties'}",
            f"-Dkafka.logs.dir={LOCAL_DIR / 'kafka'}",
            "-cp",
            f"{libs}/*",
            END_TO_END_LATENCY,
            "--bootstrap-server",
            bootstrap,
            "--topic",
            LATENCY_TOPIC,
            "--num-records",
            str(messages),
            "--producer-acks",
            "all",
            "--record-size",
            str(size),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    average = re.search(r"Avg latency: ([\d.]+) ms", out)
    percentiles = re.search(r"50th = ([\d.]+), 99th = ([\d.]+)", out)
    if average is None or percentiles is None:
        raise RuntimeError(f"unexpected EndToEndLatency output:\n{out}")
    return KafkaLatency(
        float(percentiles.group(1)),
        float(percentiles.group(2)),
        float(average.group(1)),
        messages,
        size,
    )


@dataclass(frozen=True)
class EndpointRate:
    url: str
    per_second: float
    latency: Summary | None
    concurrency: int


async def endpoint_rate(url: str, *, concurrency: int, seconds: float) -> EndpointRate:
    """GET `url` from `concurrency` workers for `seconds`: the same client as the load."""
    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(timeout=30, limits=limits) as client:

        async def worker() -> None:
            while time.monotonic() < deadline:
                started = time.monotonic()
                response = await client.get(url)
                response.raise_for_status()
                latencies.append(time.monotonic() - started)

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.monotonic() - started
    return EndpointRate(url, rate(len(latencies), elapsed), Summary.of(latencies), concurrency)
