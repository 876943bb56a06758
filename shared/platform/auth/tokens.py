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

from shared.kernel.codes.orgtree import org_tree
from shared.kernel.codes.uscc import is_well_formed
from shared.platform.auth.principal import Principal, Role

ALGORITHMS = ["RS256"]
# The development key signs with these and the services verify them exactly as production
# verifies its identity provider's issuer and audience; production refuses them (settings).
LOCAL_ISSUER = "urn:sme:local-development"
LOCAL_AUDIENCE = "urn:sme:api"
DEFAULT_MAX_LIFETIME_SECONDS = 12 * 3600
_LEEWAY_SECONDS = 30  # clock skew between the identity provider and us
_TIME_CLAIMS = ("exp", "nbf", "iat")

# What a caller is told: our words, never the JWT library's (they name internals).
_REASONS: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (jwt.ExpiredSignatureError, "the token has expired"),
    (jwt.ImmatureSignatureError, "the token is not valid yet"),
    (jwt.InvalidIssuerError, "the token was not issued by the trusted identity provider"),
    (jwt.InvalidAudienceError, "the token was not issued for this application"),
    (jwt.MissingRequiredClaimError, "the token lacks a required claim"),
    (jwt.InvalidAlgorithmError, "the token is not signed with an accepted algorithm"),
    (jwt.PyJWKClientError, "the token's signing key is unknown"),
)


class InvalidToken(Exception):
    """Missing, expired, badly signed, or with claims that do not fit the role. The message
    is safe to show to the caller."""


def _reason(exc: jwt.PyJWTError) -> str:
    for kind, reason in _REASONS:
        if isinstance(exc, kind):
            if isinstance(exc, jwt.MissingRequiredClaimError):
                return f"the token lacks the {exc.claim} claim"
            return reason
    return "the token is malformed or its signature is invalid"


class TokenVerifier:
    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        public_key_pem: bytes | None = None,
        jwks_url: str | None = None,
        max_lifetime_seconds: int = DEFAULT_MAX_LIFETIME_SECONDS,
    ) -> None:
        if public_key_pem is None and jwks_url is None:
            raise ValueError("a public key or a JWKS URL is required to verify tokens")
        if not issuer or not audience:
            # Without them a token the same identity provider issued to another
            # application would be accepted here.
            raise ValueError("the token issuer and audience are required")
        self._key = serialization.load_pem_public_key(public_key_pem) if public_key_pem else None
        # The key set is re-read every 5 minutes, so a rotated or revoked key stops working
        # without a restart (a per-key cache would keep trusting it for the process's life).
        self._jwks = (
            jwt.PyJWKClient(jwks_url, cache_jwk_set=True, lifespan=300) if jwks_url else None
        )
        self._issuer = issuer
        self._audience = audience
        self._max_lifetime = max_lifetime_seconds

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
                leeway=_LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub", "role"]},
            )
        except jwt.PyJWTError as exc:
            raise InvalidToken(_reason(exc)) from exc
        self._check_times(claims)
        return principal_from_claims(claims)

    def _check_times(self, claims: dict[str, Any]) -> None:
        # PyJWT converts "exp": "9999999999" to a number; RFC 7519 says NumericDate.
        for name in _TIME_CLAIMS:
            value = claims.get(name)
            if name in claims and (isinstance(value, bool) or not isinstance(value, int | float)):
                raise InvalidToken(f"the {name} claim must be a number (seconds since 1970)")
        if claims["exp"] - claims["iat"] > self._max_lifetime:
            raise InvalidToken(
                f"the token lives longer than the accepted {self._max_lifetime // 3600} hours"
            )


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    try:
        role = Role(claims["role"])
    except ValueError as exc:
        raise InvalidToken("the role claim names no known role") from exc
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
    ttl_seconds: int = DEFAULT_MAX_LIFETIME_SECONDS,
    issuer: str = LOCAL_ISSUER,
    audience: str = LOCAL_AUDIENCE,
) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": sub or f"dev-{role}-{uuid.uuid4().hex[:8]}",
        "role": role,
        "iat": now,
        "exp": now + ttl_seconds,
        "iss": issuer,
        "aud": audience,
    }
    if uscc:
        claims["uscc"] = uscc
    if org:
        claims["org"] = org
    return jwt.encode(claims, private_key_pem, algorithm="RS256")
