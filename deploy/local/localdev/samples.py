"""Sample events of other agencies, published to the local Kafka (issue 5, item 6).

Market supervision (市场监管), tax (税务) and incident authorities publish to our inbound
topics; on `make run` nobody does, so this command plays their part to demonstrate joint
punishment (联合惩戒):

    python -m localdev.samples listing --uscc 91150105MA0Q4XXXXA
    python -m localdev.samples listing --uscc ... --list serious_dishonesty --reason "..."
    python -m localdev.samples listing --uscc ... --remove --ends-on 2026-12-01
    python -m localdev.samples incident --uscc ... --kind safety
    python -m localdev.samples tax --uscc ...

Each event is a valid CloudEvent (structured JSON) of the contract's type, validated by
the same payload model the consumer uses, keyed by the USCC, sent with an idempotent
producer and `acks=all`. The broker defaults to `KAFKA_BOOTSTRAP_SERVERS`, else the port
`make run` uses (`SME_KAFKA_PORT`, 9092).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from dataclasses import dataclass
from datetime import date

from aiokafka import AIOKafkaProducer
from pydantic import ValidationError

from shared.kernel.calendar.clock import SystemClock
from shared.kernel.codes.uscc import MalformedUSCC, check_uscc
from shared.kernel.events.envelope import STRUCTURED_CONTENT_TYPE, CloudEvent, EventPayload
from shared.kernel.events.payloads.external import (
    IncidentRecorded,
    MarketListingAdded,
    MarketListingRemoved,
    TaxViolationRecorded,
)
from shared.kernel.events.topics import with_prefix

# Who publishes, as the `source` of the CloudEvent.
SOURCES = {
    MarketListingAdded: "/cn/samr/sample-publisher",
    MarketListingRemoved: "/cn/samr/sample-publisher",
    TaxViolationRecorded: "/cn/chinatax/sample-publisher",
    IncidentRecorded: "/cn/gov/incident/sample-publisher",
}


@dataclass(frozen=True)
class Outgoing:
    topic: str
    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]]
    event: CloudEvent


def default_bootstrap() -> str:
    configured = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    return configured or f"127.0.0.1:{os.environ.get('SME_KAFKA_PORT', '9092')}"


def outgoing(payload: EventPayload, topic_prefix: str = "") -> Outgoing:
    event = CloudEvent.wrap(payload, source=SOURCES[type(payload)])
    return Outgoing(
        topic=with_prefix(payload.topic, topic_prefix),
        key=payload.partition_key().encode(),
        value=event.to_json_bytes(),
        # Structured content mode, as contract.md "Events" has it (no ce_ headers).
        headers=[("content-type", STRUCTURED_CONTENT_TYPE.encode())],
        event=event,
    )


def listing_added(
    uscc: str, list_name: str, *, starts_on: date, reason: str | None = None
) -> MarketListingAdded:
    return MarketListingAdded.model_validate(
        {"uscc": uscc, "list": list_name, "starts_on": starts_on, "reason": reason}
    )


def listing_removed(
    uscc: str, list_name: str, *, starts_on: date, ends_on: date, reason: str | None = None
) -> MarketListingRemoved:
    return MarketListingRemoved.model_validate(
        {
            "uscc": uscc,
            "list": list_name,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "reason": reason,
        }
    )


async def publish(
    payloads: list[EventPayload], *, bootstrap: str, topic_prefix: str = ""
) -> list[Outgoing]:
    """Send the events and wait for the broker's acknowledgement of each."""
    messages = [outgoing(p, topic_prefix) for p in payloads]
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        client_id="sample-publisher",
        acks="all",
        enable_idempotence=True,
        request_timeout_ms=10_000,
    )
    await producer.start()
    try:
        for m in messages:
            await producer.send_and_wait(m.topic, value=m.value, key=m.key, headers=m.headers)
    finally:
        await producer.stop()
    return messages


def _payload(args: argparse.Namespace) -> EventPayload:
    today = SystemClock().today()
    if args.command == "listing":
        starts_on = args.starts_on or today
        if args.remove:
            if (args.ends_on or today) < starts_on:
                # Supervision would refuse it (a dead letter), so it is no valid sample.
                raise ValueError(f"--ends-on is before the listing's start {starts_on}")
            return listing_removed(
                args.uscc,
                args.list,
                starts_on=starts_on,
                ends_on=args.ends_on or today,
                reason=args.reason,
            )
        return listing_added(args.uscc, args.list, starts_on=starts_on, reason=args.reason)
    if args.command == "incident":
        return IncidentRecorded.model_validate(
            {"uscc": args.uscc, "kind": args.kind, "occurred_on": args.occurred_on or today}
        )
    return TaxViolationRecorded.model_validate(
        {"uscc": args.uscc, "kind": args.kind, "decided_on": args.decided_on or today}
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m localdev.samples",
        description="Publish a sample event of another agency to the local Kafka.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--uscc", required=True, help="the enterprise (18 characters)")
    common.add_argument("--bootstrap", default=default_bootstrap(), help="Kafka host:port")
    common.add_argument("--topic-prefix", default="", help=argparse.SUPPRESS)  # test stacks
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser(
        "listing", parents=[common], help="market supervision: cn.samr.listing.added/removed.v1"
    )
    listing.add_argument(
        "--list", default="abnormal_operation", choices=["abnormal_operation", "serious_dishonesty"]
    )
    listing.add_argument("--starts-on", type=date.fromisoformat, help="default: today")
    listing.add_argument("--reason", default="示例：未按期公示年度报告")
    listing.add_argument("--remove", action="store_true", help="publish the removal instead")
    listing.add_argument("--ends-on", type=date.fromisoformat, help="removal day, default today")
    incident = sub.add_parser("incident", parents=[common], help="cn.gov.incident.recorded.v1")
    incident.add_argument(
        "--kind",
        default="safety",
        choices=["safety", "quality", "environment", "research_misconduct"],
    )
    incident.add_argument("--occurred-on", type=date.fromisoformat, help="default: today")
    tax = sub.add_parser("tax", parents=[common], help="cn.tax.violation.recorded.v1")
    tax.add_argument("--kind", default="major_tax_violation")
    tax.add_argument("--decided-on", type=date.fromisoformat, help="default: today")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        check = check_uscc(args.uscc)
        payload = _payload(args)
    except MalformedUSCC:
        print(f"not a unified social credit code: {args.uscc!r}", file=sys.stderr)
        return 2
    except (ValidationError, ValueError) as exc:
        print(f"invalid event: {exc}", file=sys.stderr)
        return 2
    if not check.checksum_ok:
        print(f"warning: the check digit of {args.uscc} does not match", file=sys.stderr)
    try:
        [sent] = asyncio.run(
            publish([payload], bootstrap=args.bootstrap, topic_prefix=args.topic_prefix)
        )
    except Exception as exc:  # a broker that is down is the usual cause
        print(f"could not publish to Kafka at {args.bootstrap}: {exc}", file=sys.stderr)
        return 1
    print(
        f"published {sent.event.type} {sent.event.id} to {sent.topic} "
        f"(key {args.uscc}) via {args.bootstrap}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
