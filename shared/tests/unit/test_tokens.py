"""Token claims must fit the role (contract.md "Auth")."""

from __future__ import annotations

import time
from pathlib import Path

import jwt
import pytest

from shared.platform.auth.principal import Role
from shared.platform.auth.tokens import (
    LOCAL_AUDIENCE,
    LOCAL_ISSUER,
    InvalidToken,
    TokenVerifier,
    generate_key_pair,
    issue_dev_token,
    principal_from_claims,
)


@pytest.fixture(scope="module")
def key_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return generate_key_pair(tmp_path_factory.mktemp("keys"))


def verifier(key_pair: tuple[Path, Path]) -> TokenVerifier:
    return TokenVerifier.from_file(key_pair[1], issuer=LOCAL_ISSUER, audience=LOCAL_AUDIENCE)


def signed(key_pair: tuple[Path, Path], **overrides: object) -> str:
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": "u1",
        "role": "province",
        "iss": LOCAL_ISSUER,
        "aud": LOCAL_AUDIENCE,
        "iat": now,
        "exp": now + 600,
        **overrides,
    }
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key_pair[0].read_bytes(), algorithm="RS256")


def test_a_signed_agency_token_becomes_an_agency_principal(key_pair: tuple[Path, Path]) -> None:
    token = issue_dev_token(key_pair[0].read_bytes(), role="agency", org="150781", sub="u1")
    principal = verifier(key_pair).verify(token)
    assert principal.role is Role.AGENCY
    assert principal.org == "150781"


def test_an_expired_token_is_refused(key_pair: tuple[Path, Path]) -> None:
    token = issue_dev_token(key_pair[0].read_bytes(), role="province", ttl_seconds=-120)
    with pytest.raises(InvalidToken):
        verifier(key_pair).verify(token)


def test_a_token_signed_by_another_key_is_refused(
    key_pair: tuple[Path, Path], tmp_path: Path
) -> None:
    other_private, _ = generate_key_pair(tmp_path)
    token = issue_dev_token(other_private.read_bytes(), role="province")
    with pytest.raises(InvalidToken):
        verifier(key_pair).verify(token)


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "x", "role": "enterprise"},  # no uscc
        {"sub": "x", "role": "enterprise", "uscc": "not-a-code"},
        {"sub": "x", "role": "agency"},  # no org
        {"sub": "x", "role": "agency", "org": "150000"},  # the province is not an agency
        {"sub": "x", "role": "admin"},
        {"sub": "", "role": "province"},  # nobody to attribute actions to
        {"sub": "x", "role": "external"},  # which agency is calling?
        {"sub": "x", "role": "external", "org": {"a": 1}},
    ],
)
def test_claims_that_do_not_fit_the_role_are_refused(claims: dict[str, str]) -> None:
    with pytest.raises(InvalidToken):
        principal_from_claims(claims)


def test_a_province_token_is_bound_to_the_province_code() -> None:
    assert principal_from_claims({"sub": "x", "role": "province"}).org == "150000"


def test_the_development_token_carries_the_local_issuer_and_audience(
    key_pair: tuple[Path, Path],
) -> None:
    claims = jwt.decode(
        issue_dev_token(key_pair[0].read_bytes(), role="province"),
        options={"verify_signature": False},
    )
    assert (claims["iss"], claims["aud"]) == (LOCAL_ISSUER, LOCAL_AUDIENCE)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"iss": "https://someone-else.example"}, "not issued by the trusted identity provider"),
        ({"aud": "another-app"}, "not issued for this application"),
        ({"iss": None}, "lacks the iss claim"),
        ({"aud": None}, "lacks the aud claim"),
        ({"iat": None}, "lacks the iat claim"),
        ({"exp": str(int(time.time()) + 600)}, "exp claim must be a number"),
        ({"nbf": str(int(time.time()) - 10)}, "nbf claim must be a number"),
        ({"iat": True}, "iat claim must be a number"),
        ({"exp": int(time.time()) + 13 * 3600}, "longer than the accepted 12 hours"),
        ({"iat": int(time.time()) + 3600, "exp": int(time.time()) + 7200}, "not valid yet"),
    ],
)
def test_issuer_audience_times_and_lifetime_are_enforced(
    key_pair: tuple[Path, Path], overrides: dict[str, object], reason: str
) -> None:
    with pytest.raises(InvalidToken, match=reason):
        verifier(key_pair).verify(signed(key_pair, **overrides))


def test_a_verifier_without_issuer_or_audience_cannot_be_built(
    key_pair: tuple[Path, Path],
) -> None:
    with pytest.raises(ValueError, match="issuer and audience"):
        TokenVerifier.from_file(key_pair[1], issuer="", audience=LOCAL_AUDIENCE)


@pytest.mark.parametrize("token", ["not-a-jwt", "a.b.c", "eyJhbGciOiJub25lIn0.e30."])
def test_refusals_do_not_echo_library_internals(key_pair: tuple[Path, Path], token: str) -> None:
    with pytest.raises(InvalidToken) as refused:
        verifier(key_pair).verify(token)
    assert str(refused.value) in (
        "the token is malformed or its signature is invalid",
        "the token is not signed with an accepted algorithm",
    )
