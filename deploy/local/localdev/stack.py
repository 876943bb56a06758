"""The whole system on one machine: PostgreSQL, Kafka, the four services and the gateway,
as real processes. Used by `make run` and by the end-to-end tests.

External infrastructure wins: with `KAFKA_BOOTSTRAP_SERVERS` set no broker is started, with
`S3_ENDPOINT_URL` set no S3 server is started (the services use that one, with the `S3_*`
settings of the environment), and `<SERVICE>_DATABASE_URL` (e.g. `INTAKE_DATABASE_URL`)
replaces that service's local database.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from localdev.kafka import LocalKafka, create_topics
from localdev.paths import LOCAL_DIR, REPO_ROOT, SERVICES, ensure
from localdev.ports import free_port
from localdev.postgres import LocalPostgres
from localdev.s3proxy import LocalS3
from shared.kernel.events.topics import every_topic
from shared.platform.auth.tokens import generate_key_pair

KEYS_DIR = LOCAL_DIR / "keys"


def dev_keys() -> tuple[Path, Path]:
    return generate_key_pair(KEYS_DIR)


@dataclass
class Infra:
    """PostgreSQL, Kafka and the S3 object store, local unless the environment names
    external ones."""

    state_dir: Path
    pg_port: int
    kafka_port: int
    kafka_controller_port: int
    partitions: int = 3
    # True for `make test`'s clusters, deleted after the run: PostgreSQL may skip fsync.
    throwaway: bool = False
    pg: LocalPostgres | None = None
    kafka: LocalKafka | None = None
    external_kafka: str | None = field(
        default_factory=lambda: os.environ.get("KAFKA_BOOTSTRAP_SERVERS") or None
    )
    s3_port: int = 0  # 0: a free port
    s3: LocalS3 | None = None
    external_s3: str | None = field(
        default_factory=lambda: os.environ.get("S3_ENDPOINT_URL") or None
    )

    def __post_init__(self) -> None:
        self.pg = LocalPostgres(
            self.state_dir / "postgres", self.pg_port, durable=not self.throwaway
        )
        if not self.external_kafka:
            self.kafka = LocalKafka(
                self.state_dir / "kafka",
                self.kafka_port,
                self.kafka_controller_port,
                partitions=self.partitions,
            )
        if not self.external_s3:
            self.s3_port = self.s3_port or free_port()
            self.s3 = LocalS3(self.state_dir / "s3", self.s3_port)

    def s3_env(self) -> dict[str, str]:
        """The object-store settings of every service (external: the environment's own)."""
        if self.s3 is None:
            return {}
        return self.s3.env()

    @property
    def bootstrap(self) -> str:
        if self.external_kafka:
            return self.external_kafka
        assert self.kafka is not None
        return self.kafka.bootstrap

    def up(self) -> None:
        ensure(self.state_dir)
        if self.s3 is not None:
            self.s3.launch()  # a JVM that takes a while: it warms up while the others start
        needs_pg = any(not os.environ.get(f"{s.upper()}_DATABASE_URL") for s in SERVICES)
        if needs_pg and self.pg is not None:
            self.pg.start()
        if self.kafka is not None:
            self.kafka.start()
        if self.s3 is not None:
            self.s3.wait_ready()

    def ensure_topics(self, prefix: str = "") -> None:
        create_topics(self.bootstrap, every_topic(prefix), self.partitions)

    def database_url(self, service: str, suffix: str = "") -> str:
        external = os.environ.get(f"{service.upper()}_DATABASE_URL")
        if external:
            return external
        assert self.pg is not None
        name = f"sme_{service}{suffix}"
        self.pg.create_database(name)
        return self.pg.url(name)

    def down(self) -> None:
        if self.s3 is not None:
            self.s3.stop()
        if self.kafka is not None:
            self.kafka.stop()
        if self.pg is not None:
            self.pg.stop()


@dataclass
class ServiceProcess:
    name: str
    port: int
    env: dict[str, str]
    log_file: Path
    process: subprocess.Popen[bytes] | None = None
    role: str | None = None  # PROCESS_ROLE (all when None)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        ensure(self.log_file.parent)
        out = open(self.log_file, "ab")  # noqa: SIM115 - handed to the child process
        command = [
            sys.executable,
            "-m",
            self.name,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            *(["--role", self.role] if self.role else []),
        ]
        if self.name == "gateway":
            command = [
                sys.executable,
                "-m",
                "uvicorn",
                "localdev.gateway:app_from_env",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                "--no-access-log",
                # The gateway is the edge: it must not believe a client's X-Forwarded-For.
                "--no-proxy-headers",
            ]
        self.process = subprocess.Popen(
            command,
            env={**os.environ, **self.env},
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=REPO_ROOT,
            start_new_session=True,
        )
        out.close()

    def wait_ready(self, timeout: float = 90.0, path: str = "/readyz") -> None:
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.process.returncode}; see {self.log_file}"
                )
            try:
                response = httpx.get(self.url + path, timeout=3)
                if response.status_code == 200:
                    return
                last = response.text
            except httpx.HTTPError as exc:
                last = str(exc)
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} not ready after {timeout}s: {last}; see {self.log_file}")

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM and wait: the service drains its consumer and relay before exiting."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


@dataclass
class Stack:
    """Four services and the gateway on top of `infra`."""

    infra: Infra
    log_dir: Path
    ports: dict[str, int]
    db_suffix: str = ""
    topic_prefix: str = ""
    environment: str = "local"
    extra_env: dict[str, dict[str, str]] = field(default_factory=dict)
    processes: dict[str, ServiceProcess] = field(default_factory=dict)
    # Each service as an `api` process and a `worker` process (relay, consumer, jobs) named
    # `<service>-worker`, as in production; else one process doing both.
    split_roles: bool = False

    def service_env(self, name: str) -> dict[str, str]:
        _, public_key = dev_keys()
        env = {
            "SME_SERVICE_NAME": name,
            "SME_ENVIRONMENT": self.environment,
            "DATABASE_URL": self.infra.database_url(name, self.db_suffix),
            "KAFKA_BOOTSTRAP_SERVERS": self.infra.bootstrap,
            "KAFKA_TOPIC_PREFIX": self.topic_prefix,
            "JWT_PUBLIC_KEY_FILE": str(public_key),
            "MIGRATE_ON_START": "true",
            "OUTBOX_POLL_INTERVAL": "0.5",
            **self.infra.s3_env(),
        }
        env.update(self.extra_env.get(name, {}))
        return env

    def process(self, name: str) -> ServiceProcess:
        if name not in self.processes:
            self.processes[name] = ServiceProcess(
                name=name,
                port=self.ports[name],
                env=self.service_env(name),
                log_file=self.log_dir / f"{name}.log",
                role="api" if self.split_roles else None,
            )
        return self.processes[name]

    def worker(self, name: str) -> ServiceProcess:
        """The `worker` process of a service (`split_roles`)."""
        key = f"{name}-worker"
        if key not in self.processes:
            self.processes[key] = ServiceProcess(
                name=name,
                port=self.ports.get(key) or free_port(),
                env=self.service_env(name),
                log_file=self.log_dir / f"{key}.log",
                role="worker",
            )
        return self.processes[key]

    def _service_processes(self) -> list[ServiceProcess]:
        workers = [self.worker(n) for n in SERVICES] if self.split_roles else []
        return [self.process(n) for n in SERVICES] + workers

    def start(self) -> None:
        self.infra.ensure_topics(self.topic_prefix)
        for service in self._service_processes():
            service.start()
        gateway_env = {
            f"SME_UPSTREAM_{n.upper()}": f"http://127.0.0.1:{self.ports[n]}" for n in SERVICES
        }
        self.processes["gateway"] = ServiceProcess(
            "gateway", self.ports["gateway"], gateway_env, self.log_dir / "gateway.log"
        )
        self.processes["gateway"].start()
        for service in self._service_processes():
            service.wait_ready()
        self.processes["gateway"].wait_ready(path="/gateway/healthz")

    def restart(self, name: str, env: dict[str, str] | None = None) -> None:
        """Start a service again (after stop/kill), optionally with changed environment."""
        old = self.processes.pop(name)
        with contextlib.suppress(Exception):
            old.stop()
        fresh = ServiceProcess(
            old.name, old.port, {**old.env, **(env or {})}, old.log_file, role=old.role
        )
        self.processes[name] = fresh
        fresh.start()
        fresh.wait_ready()

    def stop(self) -> None:
        if "gateway" in self.processes:
            self.processes["gateway"].stop()
        for name, service in self.processes.items():
            if name != "gateway":
                service.stop()

    def discard(self) -> None:
        """Stop, then drop this stack's databases (test stacks; `make run` keeps its data)."""
        self.stop()
        if self.infra.pg is None or not self.db_suffix:
            return
        for name in SERVICES:
            if not os.environ.get(f"{name.upper()}_DATABASE_URL"):
                with contextlib.suppress(Exception):
                    self.infra.pg.drop_database(f"sme_{name}{self.db_suffix}")

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['gateway']}"
