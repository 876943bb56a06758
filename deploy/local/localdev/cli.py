"""`python -m localdev <command>` — what the Makefile calls."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from localdev.paths import LOCAL_DIR, REPO_ROOT, SERVICES


def _token(args: argparse.Namespace) -> int:
    from localdev.stack import dev_keys
    from shared.platform.auth.tokens import issue_dev_token

    private_key, _ = dev_keys()
    if args.role == "enterprise" and not args.uscc:
        print("ROLE=enterprise needs USCC=<18 characters>", file=sys.stderr)
        return 2
    if args.role == "external" and not args.org:
        print("ROLE=external needs ORG=<the calling agency, e.g. tax>", file=sys.stderr)
        return 2
    if args.role == "agency" and not args.org:
        print("ROLE=agency needs ORG=<agency code, e.g. 150100>", file=sys.stderr)
        return 2
    print(
        issue_dev_token(
            private_key.read_bytes(),
            role=args.role,
            uscc=args.uscc or None,
            org=args.org or None,
            sub=args.sub or None,
        )
    )
    return 0


def _infra(args: argparse.Namespace) -> int:
    from localdev.ports import free_port
    from localdev.stack import Infra

    state = Path(args.state)
    descriptor = state / "infra.json"
    if args.action == "up":
        ports = {
            "pg_port": args.pg_port or free_port(),
            "kafka_port": args.kafka_port or free_port(),
            "kafka_controller_port": free_port(),
            "s3_port": free_port(),
        }
        infra = Infra(
            state,
            ports["pg_port"],
            ports["kafka_port"],
            ports["kafka_controller_port"],
            s3_port=ports["s3_port"],
        )
        infra.up()
        infra.ensure_topics()
        descriptor.write_text(
            json.dumps(
                {
                    **ports,
                    "state_dir": str(state),
                    "bootstrap": infra.bootstrap,
                    "s3": infra.s3_env(),
                }
            )
        )
        print(descriptor)
        return 0
    if descriptor.exists():
        data = json.loads(descriptor.read_text())
        Infra(
            state,
            data["pg_port"],
            data["kafka_port"],
            data["kafka_controller_port"],
            s3_port=data.get("s3_port", 0),
        ).down()
        descriptor.unlink()
    return 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="localdev")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the whole system until Ctrl-C")
    token = sub.add_parser("token", help="print a development JWT")
    token.add_argument(
        "--role", required=True, choices=["enterprise", "agency", "province", "external"]
    )
    token.add_argument("--uscc", default="")
    token.add_argument("--org", default="")
    token.add_argument("--sub", default="")
    infra = sub.add_parser("infra", help="start or stop PostgreSQL and Kafka")
    infra.add_argument("action", choices=["up", "down"])
    infra.add_argument("--state", default=str(LOCAL_DIR / "infra"))
    infra.add_argument("--pg-port", type=int, default=0)
    infra.add_argument("--kafka-port", type=int, default=0)
    migration = sub.add_parser("migration", help="autogenerate an Alembic revision")
    migration.add_argument("--service", required=True, choices=list(SERVICES))
    migration.add_argument("--message", required=True)
    sub.add_parser("bench", help="run the benchmarks (*/benchmarks/bench_*.py) on real infra")
    test_run = sub.add_parser(
        "test-run", help="run pytest with PostgreSQL and Kafka started for it"
    )
    test_run.add_argument("pytest_args", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.command == "test-run":
        sys.exit(_test_run([a for a in args.pytest_args if a != "--"]))
    if args.command == "migration":
        sys.exit(_migration(args.service, args.message))
    if args.command == "bench":
        sys.exit(_bench())
    if args.command == "run":
        from localdev.run import main as run_main

        sys.exit(run_main())
    if args.command == "token":
        sys.exit(_token(args))
    sys.exit(_infra(args))


def _test_run(pytest_args: list[str]) -> int:
    """Start PostgreSQL and Kafka once, run pytest against them, always stop them."""
    import subprocess

    def run(env: dict[str, str]) -> int:
        return subprocess.run(
            [sys.executable, "-m", "pytest", *pytest_args], env=env, check=False
        ).returncode

    return _with_infra(run)


def _with_infra(run: Callable[[dict[str, str]], int]) -> int:
    """Run `run(env)` with PostgreSQL and Kafka started for it, then stop them."""
    from localdev.ports import free_port
    from localdev.stack import Infra

    state = LOCAL_DIR / "tmp" / f"infra-{os.getpid()}"
    ports = {
        "pg_port": free_port(),
        "kafka_port": free_port(),
        "kafka_controller_port": free_port(),
        "s3_port": free_port(),
    }
    infra = Infra(
        state,
        ports["pg_port"],
        ports["kafka_port"],
        ports["kafka_controller_port"],
        throwaway=True,  # deleted after the run
        s3_port=ports["s3_port"],
    )
    try:
        infra.up()
        infra.ensure_topics()
        descriptor = state / "infra.json"
        descriptor.write_text(json.dumps({**ports, "state_dir": str(state)}))
        return run({**os.environ, "SME_TEST_INFRA": str(descriptor)})
    finally:
        if infra.kafka is not None:
            infra.kafka.kill()  # its data is deleted next: a controlled shutdown buys nothing
        if infra.s3 is not None:
            infra.s3.kill()
        infra.down()
        shutil.rmtree(state, ignore_errors=True)


def _migration(service: str, message: str) -> int:
    """Autogenerate the next numbered revision against a scratch database at head."""
    import re
    import uuid

    from alembic import command
    from alembic.config import Config

    from localdev.ports import free_port
    from localdev.postgres import LocalPostgres

    versions = REPO_ROOT / "services" / service / service / "migrations" / "versions"
    numbers = [
        int(m.group(1)) for p in versions.glob("*.py") if (m := re.match(r"(\d{4})_", p.name))
    ]
    rev_id = f"{max(numbers, default=0) + 1:04d}"
    pg = LocalPostgres(LOCAL_DIR / "tmp" / "migration-pg", free_port(), durable=False)
    pg.start()
    try:
        name = f"scratch_{uuid.uuid4().hex[:8]}"
        pg.create_database(name)
        config = Config()
        config.set_main_option("script_location", str(versions.parent))
        config.set_main_option("sqlalchemy.url", pg.url(name))
        command.upgrade(config, "head")
        slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")[:40]
        command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
        for path in versions.glob(f"{rev_id}_*.py"):
            path.rename(versions / f"{rev_id}_{slug}.py")
        return 0
    finally:
        pg.stop()


def _bench() -> int:
    import subprocess

    scripts = sorted(
        [
            *REPO_ROOT.glob("shared/benchmarks/bench_*.py"),
            *REPO_ROOT.glob("services/*/benchmarks/bench_*.py"),
        ]
    )

    def run(env: dict[str, str]) -> int:
        status = 0
        for script in scripts:
            print(f"== {script.relative_to(REPO_ROOT)}", flush=True)
            status |= subprocess.run([sys.executable, str(script)], env=env, check=False).returncode
        return status

    return _with_infra(run)
