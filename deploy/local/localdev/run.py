"""`make run`: the whole system on this machine until Ctrl-C."""

from __future__ import annotations

import os
import signal
import sys
import time
from types import FrameType

from localdev.paths import LOCAL_DIR, SERVICES
from localdev.stack import Infra, Stack, dev_keys


def _port(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def main() -> int:
    state = LOCAL_DIR / "run"
    started = time.monotonic()
    infra = Infra(
        state,
        pg_port=_port("SME_PG_PORT", 5544),
        kafka_port=_port("SME_KAFKA_PORT", 9092),
        kafka_controller_port=_port("SME_KAFKA_CONTROLLER_PORT", 9093),
        s3_port=_port("SME_S3_PORT", 9444),
    )
    ports = {name: _port(f"SME_{name.upper()}_PORT", 8101 + i) for i, name in enumerate(SERVICES)}
    ports["gateway"] = _port("SME_GATEWAY_PORT", 8000)
    stack = Stack(infra=infra, log_dir=state / "logs", ports=ports)
    stopping = False

    def on_signal(signum: int, _: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        print("starting PostgreSQL, Kafka and the S3 object store ...", flush=True)
        infra.up()
        dev_keys()
        print("starting the four services and the gateway ...", flush=True)
        stack.start()
        url = stack.gateway_url
        print(
            f"""
ready in {time.monotonic() - started:.1f}s

  API docs     {url}/docs   (one page per service: {url}/docs/intake ...)
  gateway      {url}/api/v1/...
  a token      make token ROLE=enterprise USCC=91150105MA0Q4XXXXA
               make token ROLE=agency ORG=150100
               make token ROLE=province
  use it       TOKEN=$(make -s token ROLE=province)
               curl -H "Authorization: Bearer $TOKEN" {url}/api/v1/review-cases
  logs         {state / "logs"}
  Kafka        {infra.bootstrap}   PostgreSQL  127.0.0.1:{infra.pg_port}
  S3           {infra.s3_env().get("S3_ENDPOINT_URL", "S3_ENDPOINT_URL of the environment")}

Ctrl-C stops everything.""",
            flush=True,
        )
        while not stopping:
            for name, process in stack.processes.items():
                if process.process is not None and process.process.poll() is not None:
                    print(
                        f"{name} exited ({process.process.returncode}); see {process.log_file}",
                        file=sys.stderr,
                        flush=True,
                    )
                    stopping = True
            time.sleep(0.5)
    finally:
        print("stopping ...", flush=True)
        stack.stop()
        infra.down()
        print("stopped.", flush=True)
    return 0
