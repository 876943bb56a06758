"""pytest fixtures on real PostgreSQL and real Kafka (registered by the root conftest.py).

`make test` starts one PostgreSQL and one Kafka for the whole run and names them in
`SME_TEST_INFRA` (a JSON file); without it, the first test that needs them starts its own
on free ports and stops them at the end. Every test module gets fresh databases and, for
end-to-end stacks, its own topic prefix, so nothing leaks between tests.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any, Generic, TypeVar

import httpx
import pytest

from localdev.paths import LOCAL_DIR, SERVICES
from localdev.ports import free_port
from localdev.stack import Infra, Stack, dev_keys
from shared.platform.auth.tokens import issue_dev_token
from shared.platform.db.audit import Actor
from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.runtime import ServiceRuntime

W = TypeVar("W")


def _load_infra() -> tuple[Infra, bool]:
    described = os.environ.get("SME_TEST_INFRA")
    if described:
        data = json.loads(Path(described).read_text())
        return Infra(
            Path(data["state_dir"]),
            data["pg_port"],
            data["kafka_port"],
            data["kafka_controller_port"],
            s3_port=data.get("s3_port", 0),
        ), False
    state = LOCAL_DIR / "test" / f"run-{os.getpid()}"
    infra = Infra(state, free_port(), free_port(), free_port(), s3_port=free_port(), throwaway=True)
    infra.up()
    return infra, True


@pytest.fixture(scope="session")
def infra() -> Iterator[Infra]:
    infra, owned = _load_infra()
    try:
        yield infra
    finally:
        if owned:
            infra.down()


@pytest.fixture(scope="session")
def keys() -> tuple[Path, Path]:
    return dev_keys()


class Tokens:
    """Development tokens signed with the local key the services trust."""

    def __init__(self, private_key: Path) -> None:
        self._key = private_key.read_bytes()

    def __call__(
        self, role: str, *, uscc: str | None = None, org: str | None = None, sub: str | None = None
    ) -> dict[str, str]:
        token = issue_dev_token(self._key, role=role, uscc=uscc, org=org, sub=sub)
        return {"Authorization": f"Bearer {token}"}

    def enterprise(self, uscc: str) -> dict[str, str]:
        return self("enterprise", uscc=uscc)

    def agency(self, org: str) -> dict[str, str]:
        return self("agency", org=org)

    def province(self) -> dict[str, str]:
        return self("province")

    def external(self, org: str = "tax") -> dict[str, str]:
        return self("external", org=org)


@pytest.fixture(scope="session")
def tokens(keys: tuple[Path, Path]) -> Tokens:
    return Tokens(keys[0])


@pytest.fixture
def fresh_database(infra: Infra) -> Iterator[Callable[[str], str]]:
    """A new, empty database for a service; returns its URL. Dropped after the test."""
    created: list[str] = []

    def make(service: str) -> str:
        suffix = f"_t{uuid.uuid4().hex[:10]}"
        created.append(f"sme_{service}{suffix}")
        return infra.database_url(service, suffix)

    yield make
    if infra.pg is not None:
        for name in created:
            with contextlib.suppress(Exception):
                infra.pg.drop_database(name)


def test_settings(
    service: str, database_url: str, infra: Infra, keys: tuple[Path, Path], **overrides: Any
) -> dict[str, Any]:
    """Environment-style settings for an in-process app under test."""
    return {
        "SME_SERVICE_NAME": service,
        "SME_ENVIRONMENT": "test",
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": infra.bootstrap,
        "JWT_PUBLIC_KEY_FILE": str(keys[1]),
        "MIGRATE_ON_START": True,
        "DATABASE_POOL_SIZE": 5,
        **infra.s3_env(),
        **overrides,
    }


test_settings.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


class SqlContractStore(Generic[W]):
    """The PostgreSQL side of a repository contract test (a service's tests/integration):
    each transaction of the service's runtime as its own unit of work (`wrap`, e.g.
    `SqlIntakeUnitOfWork`), and rows seeded in a transaction of their own."""

    ACTOR = Actor(sub="contract-test", role="system")

    def __init__(self, runtime: ServiceRuntime, wrap: Callable[[UnitOfWork], W]) -> None:
        self.runtime = runtime
        self.wrap = wrap

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[W]:
        async with self.runtime.uow(self.ACTOR) as work:
            yield self.wrap(work)

    async def add_rows(self, *rows: object) -> None:
        """Insert `rows` in order, each flushed before the next (a row may reference the
        one before it), and commit."""
        async with self.runtime.uow(self.ACTOR) as work:
            for row in rows:
                work.session.add(row)
                await work.session.flush()


@contextlib.asynccontextmanager
async def running_app(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """Run an ASGI app's lifespan (migrations, policies) and give an HTTP client to it."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


def new_stack(infra: Infra, name: str, extra_env: dict[str, dict[str, str]] | None = None) -> Stack:
    suffix = f"_{name}_{uuid.uuid4().hex[:6]}"
    ports = {service: free_port() for service in SERVICES}
    ports["gateway"] = free_port()
    return Stack(
        infra=infra,
        log_dir=LOCAL_DIR / "test" / "logs" / suffix.lstrip("_"),
        ports=ports,
        db_suffix=suffix,
        topic_prefix=f"t{uuid.uuid4().hex[:8]}.",
        environment="test",
        extra_env=extra_env or {},
    )


@pytest.fixture(scope="module")
def stack(infra: Infra, keys: tuple[Path, Path]) -> Iterator[Stack]:
    """The four services and the gateway as processes, for one test module."""
    running = new_stack(infra, "e2e")
    try:
        running.start()
        yield running
    finally:
        running.discard()


@pytest.fixture(scope="module")
def private_kafka_infra(infra: Infra) -> Iterator[Infra]:
    """The shared PostgreSQL with a broker of its own, for tests that stop and start Kafka
    (the shared broker keeps serving every other test)."""
    state = LOCAL_DIR / "test" / f"kafka-{uuid.uuid4().hex[:8]}"
    own = Infra(state, infra.pg_port, free_port(), free_port(), external_kafka="")
    own.pg = infra.pg
    own.s3 = infra.s3
    assert own.kafka is not None
    own.kafka.start()
    try:
        yield own
    finally:
        own.kafka.kill()  # a throwaway broker: no need for a controlled shutdown
        import shutil

        shutil.rmtree(state, ignore_errors=True)
