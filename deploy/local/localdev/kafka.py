"""A real single-node Apache Kafka (KRaft mode) from the official jars.

Maven fetches the jars named in `deploy/local/pom.xml` into `.local/kafka/libs` (its
repository cache in `.local/m2`); the broker runs as a plain `java` process whose id is
kept in a pid file so that `stop()` ends exactly what `start()` began.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import subprocess
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from localdev import processes
from localdev.paths import DEPLOY_LOCAL, LOCAL_DIR, ensure

LIBS_DIR = LOCAL_DIR / "kafka" / "libs"
MAVEN_REPO = LOCAL_DIR / "m2"


def fetch_jars(pom: Path = DEPLOY_LOCAL / "pom.xml", libs_dir: Path = LIBS_DIR) -> Path:
    """Download the jars `pom` names into `libs_dir` once (default: the broker's); later
    calls are free."""
    marker = libs_dir / ".complete"
    if marker.exists() and marker.read_text() == pom.read_text():
        return libs_dir
    ensure(libs_dir)
    for old in libs_dir.glob("*.jar"):
        old.unlink()
    subprocess.run(
        [
            "mvn",
            "-q",
            "-B",
            "-f",
            str(pom),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={libs_dir}",
            f"-Dmaven.repo.local={MAVEN_REPO}",
        ],
        check=True,
    )
    marker.write_text(pom.read_text())
    return libs_dir


@dataclass
class LocalKafka:
    base_dir: Path
    port: int
    controller_port: int
    partitions: int = 3
    heap: str = "768m"

    def __post_init__(self) -> None:
        self.base_dir = self.base_dir.resolve()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.base_dir / "kafka.pid"

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    def _java(self, main: str, *args: str) -> list[str]:
        return [
            "java",
            f"-Xmx{self.heap}",
            "-Xms256m",
            "-XX:+UseG1GC",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={DEPLOY_LOCAL / 'kafka' / 'log4j2.properties'}",
            f"-Dkafka.logs.dir={self.base_dir}",
            "-cp",
            f"{fetch_jars()}/*",
            main,
            *args,
        ]

    def _write_config(self) -> Path:
        template = (DEPLOY_LOCAL / "kafka" / "server.properties.template").read_text()
        config = template.format(
            port=self.port,
            controller_port=self.controller_port,
            data_dir=self.data_dir,
            partitions=self.partitions,
        )
        path = self.base_dir / "server.properties"
        path.write_text(config)
        return path

    def pid(self) -> int | None:
        """The broker's pid if it is alive and really is this broker."""
        config = self.base_dir / "server.properties"
        return processes.running_pid(
            self.pid_file, [b"kafka.Kafka", str(config).encode()], self._process
        )

    def start(self, wait: float = 120.0) -> None:
        if self.pid() is not None:
            self.wait_ready(wait)
            return
        ensure(self.base_dir)
        config = self._write_config()
        if not (self.data_dir / "meta.properties").exists():
            ensure(self.data_dir)
            subprocess.run(
                self._java(
                    "kafka.tools.StorageTool",
                    "format",
                    f"--cluster-id={_cluster_id()}",
                    "-c",
                    str(config),
                ),
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        with open(self.base_dir / "stdout.log", "ab") as out:
            process = subprocess.Popen(
                self._java("kafka.Kafka", str(config)),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._process = process
        self.pid_file.write_text(str(process.pid))
        self.wait_ready(wait)

    def wait_ready(self, timeout: float = 120.0) -> None:
        """Wait until the broker really answers a metadata request, not just a TCP connect."""
        logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # "connection refused" is expected
        deadline = time.monotonic() + timeout
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if self.pid() is None:
                # The logs' tails in the message: test runs remove their directory afterwards.
                # log4j writes server.log; the JVM's own failures land in stdout.log.
                raise RuntimeError("Kafka exited during start-up;" + self._log_tails())
            try:
                asyncio.run(_describe_cluster(self.bootstrap))
                return
            except Exception as exc:
                last_error = exc
                time.sleep(0.5)
        raise RuntimeError(f"Kafka on {self.bootstrap} did not answer: {last_error}")

    def _log_tails(self, lines: int = 25) -> str:
        tails = []
        for name in ("server.log", "stdout.log"):
            log = self.base_dir / name
            text = log.read_text(errors="replace") if log.exists() else ""
            tails.append(f"\n{log} ends:\n" + "\n".join(text.splitlines()[-lines:]))
        return "".join(tails)

    def stop(self, timeout: float = 30.0) -> None:
        processes.stop(self.pid, self.pid_file, timeout)

    def kill(self) -> None:
        """Stop the broker abruptly (outage tests)."""
        processes.kill(self.pid, self.pid_file)


def _cluster_id() -> str:
    """A KRaft cluster id: 16 random bytes, URL-safe base64 without padding. It may start with
    `-`, so it is passed as `--cluster-id=<id>`, never as a separate argument."""
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()


async def _describe_cluster(bootstrap: str) -> None:
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3000)
    await admin.start()
    try:
        await admin.list_topics()
    finally:
        await admin.close()


async def _create_topics(bootstrap: str, names: Iterable[str], partitions: int) -> None:
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    from shared.kernel.events.topics import MAX_MESSAGE_BYTES

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [n for n in names if n not in existing]
        if missing:
            await admin.create_topics(
                [
                    NewTopic(
                        name=n,
                        num_partitions=partitions,
                        replication_factor=1,
                        topic_configs={"max.message.bytes": str(MAX_MESSAGE_BYTES)},
                    )
                    for n in missing
                ]
            )
    finally:
        await admin.close()


def create_topics(bootstrap: str, names: Iterable[str], partitions: int = 3) -> None:
    asyncio.run(_create_topics(bootstrap, list(names), partitions))
