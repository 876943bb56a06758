"""Duplicate detection and the client address behind the gateway."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from supervision.domain.fingerprint import filer_key, filing_fingerprint
from supervision.domain.identity import Filer, FilerType
from supervision.entrypoints.api.client import client_address

PERSON = Filer(FilerType.PERSON, name="王小明", phone="13912345678")


def fingerprint(**changes: Any) -> str:
    values: dict[str, Any] = {
        "kind": "complaint",
        "subject_uscc": "91150105MA0000001X",
        "filer": filer_key(PERSON, anonymous_as="addr:1.2.3.4"),
        "grounds": "拖欠货款",
        "facts": "多次催要无果!",
    }
    values.update(changes)
    return filing_fingerprint(**values)


def test_the_same_text_with_other_spacing_and_width_is_the_same_filing() -> None:
    assert fingerprint() == fingerprint(facts="  多次催要无果！ ", grounds="拖欠货款 ")


def test_another_subject_kind_or_text_is_another_filing() -> None:
    assert fingerprint() != fingerprint(subject_uscc="91150105MA0000002X")
    assert fingerprint() != fingerprint(kind="report")
    assert fingerprint() != fingerprint(facts="另有事实")


def test_the_same_person_is_recognised_by_normalised_phone() -> None:
    again = Filer(FilerType.PERSON, name="王小明", phone="+86 139 1234 5678")
    assert filer_key(again, anonymous_as="x") == filer_key(PERSON, anonymous_as="y")


def test_an_anonymous_filer_is_recognised_by_its_client() -> None:
    assert filer_key(None, anonymous_as="addr:1.2.3.4") != filer_key(
        None, anonymous_as="addr:5.6.7.8"
    )


def _request(headers: list[tuple[bytes, bytes]], peer: str = "127.0.0.1") -> Request:
    return Request({"type": "http", "headers": headers, "client": (peer, 5000)})


def test_behind_the_gateway_the_address_it_appended_counts() -> None:
    request = _request([(b"x-forwarded-for", b"10.9.9.9, 203.0.113.5")])
    assert client_address(request, trusted_proxy_hops=1) == "203.0.113.5"


def test_separate_forwarded_headers_are_read_in_order() -> None:
    request = _request([(b"x-forwarded-for", b"10.9.9.9"), (b"x-forwarded-for", b"203.0.113.5")])
    assert client_address(request, trusted_proxy_hops=1) == "203.0.113.5"
    assert client_address(request, trusted_proxy_hops=2) == "10.9.9.9"


def test_without_the_header_or_without_trusted_proxies_the_socket_peer_counts() -> None:
    assert client_address(_request([], peer="198.51.100.1"), trusted_proxy_hops=1) == "198.51.100.1"
    forged = _request([(b"x-forwarded-for", b"10.9.9.9")], peer="198.51.100.1")
    assert client_address(forged, trusted_proxy_hops=0) == "198.51.100.1"
