"""Tax agency (税务) sample subscriber in Python: confluent-kafka + the official CloudEvents SDK.

Reads every registration issued or revoked from `sme.registration.v1`, prints it, and checks
it with `GET /registrations/verify`. Needs only `requirements.txt` (no code of the system).

    python subscriber.py --bootstrap 127.0.0.1:9092 --api http://127.0.0.1:8000/api/v1 \
        --token "$(make -s token ROLE=external ORG=tax)"

Production: add --username agency-tax --password ... (SASL_SSL, SCRAM-SHA-512) and
--ca-file with the cluster's CA. See README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.parse
import urllib.request
from typing import Any

from cloudevents.core.bindings import kafka
from cloudevents.core.formats.json import JSONFormat
from confluent_kafka import Consumer, KafkaException, Message

TOPIC = "sme.registration.v1"
ISSUED = "cn.sme.registration.issued.v1"
REVOKED = "cn.sme.registration.revoked.v1"


def arguments(argv: list[str]) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", default=env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"))
    parser.add_argument("--topic-prefix", default=env("TOPIC_PREFIX", ""))
    # The agency-tax user's ACL allows consumer groups starting with "agency-tax.".
    parser.add_argument("--group", default=env("KAFKA_GROUP_ID", "agency-tax.registrations-py"))
    parser.add_argument("--username", default=env("KAFKA_USERNAME", ""))
    parser.add_argument("--password", default=env("KAFKA_PASSWORD", ""))
    parser.add_argument("--ca-file", default=env("KAFKA_CA_FILE", ""))
    parser.add_argument("--api", default=env("API_BASE_URL", "http://127.0.0.1:8000/api/v1"))
    parser.add_argument("--token", default=env("API_TOKEN", ""))
    parser.add_argument("--stop-after-uscc", default="", help="exit once this one was checked")
    parser.add_argument("--max-seconds", type=float, default=0, help="0: run until Ctrl-C")
    return parser.parse_args(argv)


def kafka_config(args: argparse.Namespace) -> dict[str, Any]:
    config: dict[str, Any] = {
        "bootstrap.servers": args.bootstrap,
        "group.id": args.group,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    }
    if args.username:
        config |= {
            "security.protocol": "SASL_SSL",
            "sasl.mechanisms": "SCRAM-SHA-512",
            "sasl.username": args.username,
            "sasl.password": args.password,
        }
        if args.ca_file:
            config["ssl.ca.location"] = args.ca_file
    return config


def verify(args: argparse.Namespace, uscc: str, year: int) -> dict[str, Any]:
    if not args.api.startswith(("http://", "https://")):
        raise SystemExit(f"--api must be an http(s) URL, not {args.api!r}")
    query = urllib.parse.urlencode({"uscc": uscc, "year": year})
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        f"{args.api}/registrations/verify?{query}",
        headers={"Authorization": f"Bearer {args.token}"},
    )
    with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
        body: dict[str, Any] = json.load(response)
    return body


def handle(args: argparse.Namespace, message: Message) -> str | None:
    """Print one registration and its verification; returns its USCC (None if skipped)."""
    # Structured or binary content mode: the SDK tells them apart by the headers.
    event = kafka.from_kafka(
        kafka.KafkaMessage(
            headers=dict(message.headers() or []),
            key=message.key(),
            value=message.value(),
        ),
        JSONFormat(),
    )
    if event.get_type() not in (ISSUED, REVOKED):
        return None  # another type on the topic (e.g. a later addition)
    data = event.get_data()
    assert isinstance(data, dict)
    verified = verify(args, data["uscc"], data["year"])
    what = "ISSUED" if event.get_type() == ISSUED else "REVOKED"
    print(
        f"{what} number={data['number']} uscc={data['uscc']} year={data['year']} "
        f"event={event.get_id()} verify.status={verified['status']} "
        f"verify.registered={json.dumps(verified['registered'])}",
        flush=True,
    )
    return str(data["uscc"])


def main(argv: list[str]) -> int:
    args = arguments(argv)
    consumer = Consumer(kafka_config(args))
    consumer.subscribe([args.topic_prefix + TOPIC])
    deadline = time.monotonic() + args.max_seconds if args.max_seconds else None
    try:
        while deadline is None or time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is None:
                continue
            if message.error():
                raise KafkaException(message.error())
            uscc = handle(args, message)
            consumer.commit(message, asynchronous=False)
            if uscc and uscc == args.stop_after_uscc:
                return 0
    finally:
        consumer.close()
    print(
        f"stopped after {args.max_seconds}s without seeing {args.stop_after_uscc}", file=sys.stderr
    )
    return 1 if args.stop_after_uscc else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
