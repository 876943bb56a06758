"""The sample publisher (`python -m localdev.samples`) builds events our consumer accepts."""

from __future__ import annotations

from datetime import date

import orjson
import pytest

from localdev.samples import listing_added, listing_removed, main, outgoing
from shared.kernel.events.catalog import payload_class
from shared.kernel.events.payloads.external import MarketListingAdded
from shared.platform.messaging.kafka_binding import decode

USCC = "91150105MA0Q4XXXXA"


def test_a_listing_is_a_cloudevent_of_the_contract_on_the_inbound_topic_keyed_by_uscc() -> None:
    sent = outgoing(listing_added(USCC, "serious_dishonesty", starts_on=date(2026, 11, 26)))
    assert sent.topic == "ext.market-supervision.listing.v1"
    assert sent.key == USCC.encode()
    # Structured content mode: the content type says so and no ce_ header says otherwise.
    assert sent.headers == [("content-type", b"application/cloudevents+json; charset=UTF-8")]
    event = decode(sent.value, sent.key, sent.headers)
    assert event.specversion == "1.0"
    assert event.type == "cn.samr.listing.added.v1"
    assert event.subject == USCC
    assert orjson.loads(sent.value)["time"].endswith("Z")
    # What supervision's consumer does with it: the catalog's class validates the data.
    cls = payload_class(event.type)
    assert cls is MarketListingAdded
    payload = cls.model_validate(event.data)
    assert payload.list == "serious_dishonesty"
    assert payload.starts_on == date(2026, 11, 26)


def test_a_test_stack_prefix_is_applied_to_the_topic() -> None:
    removal = listing_removed(
        USCC, "abnormal_operation", starts_on=date(2026, 3, 1), ends_on=date(2026, 9, 30)
    )
    assert outgoing(removal, "t1234.").topic == "t1234.ext.market-supervision.listing.v1"


def test_a_malformed_code_is_refused_before_anything_is_sent(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["listing", "--uscc", "not-a-code", "--bootstrap", "127.0.0.1:1"]) == 2
    assert "not a unified social credit code" in capsys.readouterr().err


def test_an_unknown_list_is_refused_by_the_command_line() -> None:
    with pytest.raises(SystemExit):
        main(["listing", "--uscc", USCC, "--list", "blacklist"])


def test_an_unreachable_broker_is_reported_not_raised(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["listing", "--uscc", USCC, "--bootstrap", "127.0.0.1:1"]) == 1
    assert "could not publish" in capsys.readouterr().err


def test_a_removal_ending_before_its_listing_started_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["listing", "--uscc", USCC, "--remove", "--starts-on", "2026-03-01"]
    argv += ["--ends-on", "2026-02-01", "--bootstrap", "127.0.0.1:1"]
    assert main(argv) == 2
    assert "invalid event" in capsys.readouterr().err
