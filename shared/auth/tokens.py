"""Bearer JWT verification (RS256). Production verifies against the identity provider's
JWKS; development signs with a local key pair (`make token`)."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.auth.principal import Principal, Role
from shared.codes.orgtree import org_tree
from shared.codes.uscc import is_well_formed

ALGORITHMS = ["RS256"]


class InvalidToken(Exception):
    """Missing, expired, badly signed, or with claims that do not fit the role."""


class TokenVerifier:
    def __init__(
        self,
        *,
        public_key_pem: bytes | None = None,
        jwks_url: str | None = None,
        issuer: str | None = None,
        audience: str | None = None,
    ) -> None:
        if public_key_pem is None and jwks_url is None:
            raise ValueError("a public key or a JWKS URL is required to verify tokens")
        self._key = serialization.load_pem_public_key(public_key_pem) if public_key_pem else None
        # The key set is re-read every 5 minutes, so a rotated or revoked key stops working
        # without a restart (a per-key cache would keep trusting it for the process's life).
        self._jwks = (
            jwt.PyJWKClient(jwks_url, cache_jwk_set=True, lifespan=300) if jwks_url else None
        )
        self._issuer = issuer
        self._audience = audience

    @classmethod
    def from_file(cls, path: Path, **kwargs: Any) -> TokenVerifier:
        return cls(public_key_pem=path.read_bytes(), **kwargs)

    def verify(self, token: str) -> Principal:
        try:
            key: Any = self._key
            if self._jwks is not None:
                key = self._jwks.get_signing_key_from_jwt(token).key
            claims = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                issuer=self._issuer,
                audience=self._audience,
                options={
                    "require": ["exp", "sub", "role"],
                    "verify_aud": self._audience is not None,
                },
            )
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        return principal_from_claims(claims)


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    try:
        role = Role(claims["role"])
    except ValueError as exc:
        raise InvalidToken(f"unknown role {claims.get('role')!r}") from exc
    uscc = claims.get("uscc")
    org = claims.get("org")
    if not isinstance(claims.get("sub"), str) or not claims["sub"].strip():
        raise InvalidToken("the sub claim must name the caller")
    if role is Role.ENTERPRISE and (not isinstance(uscc, str) or not is_well_formed(uscc)):
        raise InvalidToken("an enterprise token needs a well-formed uscc claim")
    if role is Role.AGENCY and (not isinstance(org, str) or not org_tree().is_agency(org)):
        raise InvalidToken("an agency token needs the org code of an evaluation agency")
    if role is Role.EXTERNAL and (not isinstance(org, str) or not org.strip() or len(org) > 50):
        raise InvalidToken("an external token needs the org code of the calling agency")
    if role is Role.PROVINCE:
        org = org_tree().province.code
    return Principal(
        sub=str(claims["sub"]),
        role=role,
        uscc=uscc if role is Role.ENTERPRISE else None,
        org=org if role in (Role.AGENCY, Role.PROVINCE, Role.EXTERNAL) else None,
    )


# -- development keys and tokens ---------------------------------------------------------------


def generate_key_pair(directory: Path) -> tuple[Path, Path]:
    """Create `dev-jwt.key` / `dev-jwt.pub` once (git-ignored directory)."""
    directory.mkdir(parents=True, exist_ok=True)
    private_path, public_path = directory / "dev-jwt.key", directory / "dev-jwt.pub"
    if private_path.exists() and public_path.exists():
        return private_path, public_path
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    private_path.chmod(0o600)
    public_path.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo,
        )
    )
    return private_path, public_path


def issue_dev_token(
    private_key_pem: bytes,
    *,
    role: str,
    sub: str | None = None,
    uscc: str | None = None,
    org: str | None = None,
    ttl_seconds: int = 12 * 3600,
    issuer: str | None = None,
    audience: str | None = None,
) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": sub or f"dev-{role}-{uuid.uuid4().hex[:8]}",
        "role": role,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if uscc:
        claims["uscc"] = uscc
    if org:
        claims["org"] = org
    if issuer:
        claims["iss"] = issuer
    if audience:
        claims["aud"] = audience
    return jwt.encode(claims, private_key_pem, algorithm="RS256")
