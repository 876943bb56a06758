"""Token claims must fit the role (contract.md "Auth")."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.auth.principal import Role
from shared.auth.tokens import (
    InvalidToken,
    TokenVerifier,
    generate_key_pair,
    issue_dev_token,
    principal_from_claims,
)


@pytest.fixture(scope="module")
def key_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return generate_key_pair(tmp_path_factory.mktemp("keys"))


def test_a_signed_agency_token_becomes_an_agency_principal(key_pair: tuple[Path, Path]) -> None:
    token = issue_dev_token(key_pair[0].read_bytes(), role="agency", org="150781", sub="u1")
    principal = TokenVerifier.from_file(key_pair[1]).verify(token)
    assert principal.role is Role.AGENCY
    assert principal.org == "150781"


def test_an_expired_token_is_refused(key_pair: tuple[Path, Path]) -> None:
    token = issue_dev_token(key_pair[0].read_bytes(), role="province", ttl_seconds=-10)
    with pytest.raises(InvalidToken):
        TokenVerifier.from_file(key_pair[1]).verify(token)


def test_a_token_signed_by_another_key_is_refused(
    key_pair: tuple[Path, Path], tmp_path: Path
) -> None:
    other_private, _ = generate_key_pair(tmp_path)
    token = issue_dev_token(other_private.read_bytes(), role="province")
    with pytest.raises(InvalidToken):
        TokenVerifier.from_file(key_pair[1]).verify(token)


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
